"""acknowledgeObligation: the person has seen it; reminders stop escalating."""

from __future__ import annotations

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.obligations import service
from backend.obligations.graphql.mutations.marks import MarkObligationResult, ObligationInput, mark
from backend.obligations.rules.base import Obligation
from backend.obligations.service import SubjectRef


@strawberry.type
class AcknowledgeObligationMutation:
    @strawberry.mutation(
        description="Seen: reminders of this occurrence are no longer escalated to a stronger "
        "channel. Works for every obligation, including those the registries confirm.",
        permission_classes=[IsAuthenticated],
    )
    async def acknowledge_obligation(
        self, info: Info, input: ObligationInput
    ) -> MarkObligationResult:
        services = info.context.services

        async def run(subject: SubjectRef) -> Obligation:
            return await service.acknowledge(
                services.obligations,
                subject,
                str(input.id),
                by=viewer_of(info).person,
                engine=services.engine,
            )

        return await mark(info, input.subject_id, "obligation_acknowledged", run)
