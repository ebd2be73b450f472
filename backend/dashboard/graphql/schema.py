"""The dashboard's part of the root schema: its mutations (its data is read through
`me { dashboard }`).

The root schema (`backend/graphql/schema.py`) merges `QUERIES` and `MUTATIONS` of every
feature, in the order it lists the features."""

from __future__ import annotations

from backend.dashboard.graphql.mutations.mark_dashboard_seen import MarkDashboardSeenMutation
from backend.dashboard.graphql.mutations.refresh_dashboard import RefreshDashboardMutation
from backend.dashboard.graphql.mutations.set_source_consent import SetSourceConsentMutation

QUERIES: tuple[type, ...] = ()
MUTATIONS: tuple[type, ...] = (
    RefreshDashboardMutation,
    MarkDashboardSeenMutation,
    SetSourceConsentMutation,
)
