"""National Health Service (NVD) client: see README.md and openapi.yaml."""
