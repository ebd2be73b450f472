"""switchActingAs: act for myself, or for a company I represent or hold a delegation for."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import strawberry

from backend.auth import audit
from backend.auth.graphql.types import Subject
from backend.auth.subjects import Basis
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, subject_access, viewer_of
from backend.graphql.results import ForbiddenError, StepUpRequired, refusal
from backend.lib.errors import Forbidden


@strawberry.type
class ActingAsSwitched:
    subject: Subject


SwitchActingAsResult = Annotated[
    ActingAsSwitched | StepUpRequired | ForbiddenError,
    strawberry.union("SwitchActingAsResult"),
]


@strawberry.type
class SwitchActingAsMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def switch_acting_as(self, info: Info, subject_id: strawberry.ID) -> SwitchActingAsResult:
        viewer = viewer_of(info)
        services = info.context.services
        try:
            access = await subject_access(
                info, str(subject_id), message="You may not act for that person or company."
            )
        except Forbidden as exc:
            return refusal(exc)
        await services.auth.sessions.update(
            viewer.session_id, replace(viewer.session, acting_as=access.key)
        )
        if access.basis is Basis.DELEGATED:
            await audit.record(
                "delegation_used",
                actor_id=viewer.person.id,
                subject_key=access.key,
                object_id=str(access.delegation_id),
                detail={"action": "switch_acting_as"},
            )
        return ActingAsSwitched(subject=Subject.from_access(access))
