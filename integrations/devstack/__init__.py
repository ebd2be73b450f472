"""The development stack: stand-ins for what production talks to (the registry sandbox, the
development identity provider, the mail sink), the personas they share, demo seeding and
`vienuviet dev`. Nothing under backend/ or integrations/registries imports it; the CLI's
development subcommands reach it through one seam, `integrations/devstack/cli.py`."""
