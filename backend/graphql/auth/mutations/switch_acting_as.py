"""switchActingAs: act for myself, or for a company I represent or hold a delegation for."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import strawberry

from backend.auth import audit
from backend.auth.assurance import company_level
from backend.auth.subjects import Basis
from backend.graphql.auth.types import Subject
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import ForbiddenError, StepUpRequired


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
        access = (await info.context.subjects()).get(str(subject_id))
        if access is None:
            return ForbiddenError(message="You may not act for that person or company.")
        needed = company_level(services.settings.auth)
        if access.is_company and viewer.level < needed:
            return StepUpRequired.for_level(needed)
        await services.sessions.update(
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
