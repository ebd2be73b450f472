"""GraphQL types for the viewer, the subjects they act for, and delegations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.auth import delegations as delegation_service
from backend.auth.assurance import ANY_COMPANY, Level, require_level
from backend.auth.delegations import DelegationStatus, DelegationView
from backend.auth.subjects import Basis, Scope, SubjectAccess
from backend.dashboard.graphql.query import dashboard_field
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of

# GraphQL enums registered on the domain enums, which annotations then use directly.
strawberry.enum(Scope, name="DelegationScope")
strawberry.enum(
    Basis,
    name="RepresentationBasis",
    description="Why the viewer may act for a subject: themselves, sole or joint "
    "representation in the Enterprise Register, or a delegation.",
)
strawberry.enum(DelegationStatus, name="DelegationStatus")


@strawberry.type(description="A person or company the viewer may act for.")
class Subject:
    id: strawberry.ID
    name: str
    basis: Basis
    scopes: list[Scope]
    registration_number: str | None
    role: str | None
    valid_until: datetime | None

    @classmethod
    def from_access(cls, access: SubjectAccess) -> Subject:
        return cls(
            id=strawberry.ID(access.key),
            name=access.name,
            basis=access.basis,
            scopes=sorted(access.scopes),
            registration_number=access.company_number,
            role=access.role,
            valid_until=access.valid_until,
        )


@strawberry.type(description="Permission for a person to act for a company.")
class Delegation:
    id: strawberry.ID
    company_registration_number: str
    company_name: str
    grantor_name: str
    grantee_name: str | None
    grantee_personal_code: str
    scopes: list[Scope]
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    revoked_at: datetime | None
    status: DelegationStatus

    @classmethod
    def from_view(cls, view: DelegationView) -> Delegation:
        return cls(
            id=strawberry.ID(str(view.id)),
            company_registration_number=view.company_number,
            company_name=view.company_name,
            grantor_name=view.grantor_name,
            grantee_name=view.grantee_name,
            grantee_personal_code=view.grantee_personal_code,
            scopes=sorted(view.scopes),
            valid_from=view.valid_from,
            valid_until=view.valid_until,
            created_at=view.created_at,
            revoked_at=view.revoked_at,
            status=view.status,
        )


@strawberry.type(description="The logged-in person.")
class Me:
    id: strawberry.ID
    given_name: str
    family_name: str
    name: str
    personal_code: str | None = strawberry.field(
        description="Latvian personal code; null for people who logged in with a foreign "
        "eIDAS identity and have none (features keyed by personal code say so)."
    )
    eidas_id: str | None
    locale: str
    assurance_level: Level
    dashboard = dashboard_field

    @strawberry.field(description="The subject the viewer currently acts for.")
    async def acting_as(self, info: Info) -> Subject:
        viewer = viewer_of(info)
        access = await info.context.subjects()
        current = access.get(viewer.acting_as) or access.subjects[0]
        return Subject.from_access(current)

    @strawberry.field(description="Everyone the viewer may act for, themselves first.")
    async def subjects(self, info: Info) -> list[Subject]:
        return [Subject.from_access(s) for s in (await info.context.subjects()).subjects]

    @strawberry.field(
        description="True when the Enterprise Register could not be asked and none of the "
        "viewer's company roles are known: companies they represent may be missing."
    )
    async def companies_unavailable(self, info: Info) -> bool:
        return (await info.context.subjects()).registry_unavailable

    @strawberry.field(
        description="Set when the Enterprise Register could not be asked and the companies "
        "listed are as it last stated them: when that was."
    )
    async def companies_as_of(self, info: Info) -> datetime | None:
        return (await info.context.subjects()).companies_as_of

    @strawberry.field(
        description="Delegations of companies the viewer manages or granted: the companies' "
        "data, so `step_up_required` behind a login weaker than acting for a company needs."
    )
    async def delegations_given(self, info: Info) -> list[Delegation]:
        viewer = viewer_of(info)
        require_level(viewer.level, ANY_COMPANY, info.context.services.settings.auth)
        views = await delegation_service.given(
            viewer.person, info.context.services.auth.representations
        )
        return [Delegation.from_view(v) for v in views]

    @strawberry.field(description="Delegations granted to the viewer.")
    async def delegations_received(self, info: Info) -> list[Delegation]:
        views = await delegation_service.received(viewer_of(info).person)
        return [Delegation.from_view(v) for v in views]
