"""Municipalities' real-estate tax client: see README.md and openapi.yaml."""
