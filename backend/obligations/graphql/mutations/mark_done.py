"""markObligationDone: the person says they did what the state cannot confirm itself."""

from __future__ import annotations

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.obligations import service
from backend.obligations.graphql.mutations.marks import MarkObligationResult, ObligationInput, mark
from backend.obligations.rules.base import Obligation
from backend.obligations.service import SubjectRef


@strawberry.type
class MarkObligationDoneMutation:
    @strawberry.mutation(
        description="Done: it drops from lists and reminders. `InvalidInput` with code "
        "`confirmed_by_state` for what the registries confirm themselves; `NotFoundError` for an "
        "id that is not the subject's.",
        permission_classes=[IsAuthenticated],
    )
    async def mark_obligation_done(
        self, info: Info, input: ObligationInput
    ) -> MarkObligationResult:
        services = info.context.services

        async def run(subject: SubjectRef) -> Obligation:
            return await service.mark_done(
                services.obligations,
                subject,
                str(input.id),
                by=viewer_of(info).person,
                engine=services.engine,
            )

        return await mark(info, input.subject_id, "obligation_done", run)
