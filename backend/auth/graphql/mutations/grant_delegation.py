"""grantDelegation: a representative lets another person act for the company."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from backend.auth import delegations
from backend.auth.assurance import StepUpNeeded, require_level
from backend.auth.graphql.types import Delegation
from backend.auth.subjects import Scope, company_key
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import ForbiddenError, InvalidInput, StepUpRequired
from backend.lib.errors import BadInput, Forbidden


@strawberry.input
class GrantDelegationInput:
    company_registration_number: str
    grantee_personal_code: str
    scopes: list[Scope]
    valid_until: datetime


@strawberry.type
class DelegationGranted:
    delegation: Delegation


GrantDelegationResult = Annotated[
    DelegationGranted | StepUpRequired | ForbiddenError | InvalidInput,
    strawberry.union("GrantDelegationResult"),
]


@strawberry.type
class GrantDelegationMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def grant_delegation(
        self, info: Info, input: GrantDelegationInput
    ) -> GrantDelegationResult:
        viewer = viewer_of(info)
        services = info.context.services
        number = input.company_registration_number.strip()
        try:
            require_level(viewer.level, company_key(number), services.settings.auth)
        except StepUpNeeded as exc:
            return StepUpRequired.for_level(exc.level, "/account")
        try:
            view = await delegations.grant(
                viewer.person,
                services.auth.representations,
                services.engine,
                company_number=number,
                grantee_personal_code=input.grantee_personal_code,
                scopes={Scope(scope) for scope in input.scopes},
                valid_until=input.valid_until,
            )
        except Forbidden as exc:
            return ForbiddenError(message=exc.message)
        except BadInput as exc:
            return InvalidInput(message=exc.message, code=exc.code)
        return DelegationGranted(delegation=Delegation.from_view(view))
