"""revokeDelegation: the grantor, a representative or the grantee ends a delegation."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from backend.auth import delegations
from backend.auth.assurance import StepUpNeeded
from backend.auth.graphql.types import Delegation
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import NotFoundError, StepUpRequired
from backend.lib.errors import NotFound


@strawberry.type
class DelegationRevoked:
    delegation: Delegation


RevokeDelegationResult = Annotated[
    DelegationRevoked | NotFoundError | StepUpRequired,
    strawberry.union("RevokeDelegationResult"),
]


@strawberry.type
class RevokeDelegationMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def revoke_delegation(self, info: Info, id: strawberry.ID) -> RevokeDelegationResult:
        viewer = viewer_of(info)
        services = info.context.services
        try:
            view = await delegations.revoke(
                viewer.person,
                services.auth.representations,
                services.engine,
                uuid.UUID(str(id)),
                login=(viewer.level, services.settings.auth),
            )
        except (ValueError, NotFound):
            return NotFoundError(message="No such delegation.")
        except StepUpNeeded as exc:
            return StepUpRequired.for_level(exc.level, "/account")
        return DelegationRevoked(delegation=Delegation.from_view(view))
