"""One module per registry: its synthetic data (a pure function of the persona and "today")
and its routes under the registry's own path prefix."""
