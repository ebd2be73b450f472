"""State Social Insurance Agency (VSAA) client: see README.md and openapi.yaml."""
