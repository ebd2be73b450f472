"""State Land Service (VZD) and building management client: see README.md and openapi.yaml."""
