"""The applications' part of the root schema."""

from __future__ import annotations

from backend.applications.graphql.mutations.prepared import PreparedApplicationMutation
from backend.applications.graphql.mutations.save_application import SaveApplicationMutation
from backend.applications.graphql.query import ApplicationsQuery

QUERIES: tuple[type, ...] = (ApplicationsQuery,)
MUTATIONS: tuple[type, ...] = (SaveApplicationMutation, PreparedApplicationMutation)
