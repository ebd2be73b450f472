"""The obligations' part of the root schema: obligations, opportunities, feeds and their mutations.

The root schema (`backend/graphql/schema.py`) merges `QUERIES` and `MUTATIONS` of every
feature, in the order it lists the features."""

from __future__ import annotations

from backend.obligations.graphql.mutations.acknowledge import AcknowledgeObligationMutation
from backend.obligations.graphql.mutations.create_calendar_feed import CreateCalendarFeedMutation
from backend.obligations.graphql.mutations.mark_done import MarkObligationDoneMutation
from backend.obligations.graphql.mutations.report_move import ReportMoveMutation
from backend.obligations.graphql.mutations.revoke_calendar_feed import RevokeCalendarFeedMutation
from backend.obligations.graphql.mutations.snooze import SnoozeObligationMutation
from backend.obligations.graphql.query import ObligationsQuery

QUERIES: tuple[type, ...] = (ObligationsQuery,)
MUTATIONS: tuple[type, ...] = (
    MarkObligationDoneMutation,
    SnoozeObligationMutation,
    AcknowledgeObligationMutation,
    ReportMoveMutation,
    CreateCalendarFeedMutation,
    RevokeCalendarFeedMutation,
)
