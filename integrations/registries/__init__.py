"""Production clients of the state registries: one package per registry (client, models,
OpenAPI contract, README) on the shared HTTP policy (`_http.py`, `_breaker.py`,
`deadline.py`); `clients.RegistryClients` holds one of each."""
