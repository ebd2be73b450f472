"""Road Traffic Safety Directorate (CSDD) client: see README.md and openapi.yaml."""
