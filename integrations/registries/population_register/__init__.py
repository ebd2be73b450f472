"""Population Register (PMLP) client: see README.md and openapi.yaml."""
