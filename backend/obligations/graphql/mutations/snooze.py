"""snoozeObligation: hide an obligation (and its reminders) until a date."""

from __future__ import annotations

from datetime import date

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.obligations import service
from backend.obligations.graphql.mutations.marks import MarkObligationResult, ObligationInput, mark
from backend.obligations.rules.base import Obligation
from backend.obligations.service import SubjectRef


@strawberry.type
class SnoozeObligationMutation:
    @strawberry.mutation(
        description="Hidden until `until` (after today, at the latest the due date: codes "
        "`not_in_future`, `after_due_date`); only for what the registries cannot confirm.",
        permission_classes=[IsAuthenticated],
    )
    async def snooze_obligation(
        self, info: Info, input: ObligationInput, until: date
    ) -> MarkObligationResult:
        services = info.context.services

        async def run(subject: SubjectRef) -> Obligation:
            return await service.snooze(
                services.obligations,
                subject,
                str(input.id),
                until,
                by=viewer_of(info).person,
                engine=services.engine,
            )

        return await mark(info, input.subject_id, "obligation_snoozed", run)
