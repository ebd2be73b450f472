"""Clients for the state registries, the registry sandbox and the development identity provider."""
