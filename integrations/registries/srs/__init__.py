"""State Revenue Service (VID) client: see README.md and openapi.yaml."""
