"""Enterprise Register (UR) client: see README.md and openapi.yaml."""
