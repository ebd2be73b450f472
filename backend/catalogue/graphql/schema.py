"""The catalogue's part of the root schema (merged by `backend/graphql/schema.py`)."""

from __future__ import annotations

from backend.catalogue.graphql.query import CatalogueQuery

QUERIES: tuple[type, ...] = (CatalogueQuery,)
MUTATIONS: tuple[type, ...] = ()
