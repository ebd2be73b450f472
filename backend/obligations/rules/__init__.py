"""One small module per rule family; `backend.obligations.registry` lists them all."""
