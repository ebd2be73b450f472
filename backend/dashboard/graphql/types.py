"""The dashboard types: a person's and a company's. Every field resolver re-checks the
viewer's right to the subject (`guard.dashboard_scope`) and loads its source through the
request's loader, so each source is asked at most once per request whatever is selected."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from backend.dashboard import access_log, changes, consent
from backend.dashboard.graphql import companies as co
from backend.dashboard.graphql import records as rec
from backend.dashboard.graphql.guard import dashboard_scope, load_all, load_source
from backend.dashboard.graphql.transparency import (
    DashboardChanges,
    DataAccessPage,
    SourceConsent,
    SourceState,
)
from backend.dashboard.service import may_see_access_log
from backend.graphql.context import Info
from backend.graphql.results import ForbiddenError, StepUpRequired
from backend.lib.errors import Forbidden


async def _part(info: Info, subject_key: str, source: str, part: str) -> Any:
    """A part's value, or None when the source could not say (see `sources`)."""
    return (await load_source(info, subject_key, source)).part(part)


async def _sources(info: Info, subject_key: str) -> list[SourceState]:
    return [SourceState.of(result) for result in (await load_all(info, subject_key)).values()]


async def _data_access(
    info: Info, subject_key: str, first: int, after: str | None
) -> DataAccessPage:
    scope = await dashboard_scope(info, subject_key)
    if not may_see_access_log(scope.access):
        raise Forbidden("Only the company's officers see who read its data.")
    return DataAccessPage.of(await access_log.page(subject_key, first=first, after=after))


@strawberry.type(description="What the registries say about the viewer, source by source.")
class PersonDashboard:
    subject_key: strawberry.Private[str]
    subject_id: strawberry.ID
    name: str

    @strawberry.field(description="Each source's status; read it before trusting a null.")
    async def sources(self, info: Info) -> list[SourceState]:
        return await _sources(info, self.subject_key)

    @strawberry.field
    async def declared_address(self, info: Info) -> rec.DeclaredAddress | None:
        value = await _part(info, self.subject_key, "population_register", "declared_address")
        return rec.DeclaredAddress.of(value) if value else None

    @strawberry.field(description="Others declared at my properties; null when unknown.")
    async def declared_at_my_properties(self, info: Info) -> list[rec.DeclaredPerson] | None:
        value = await _part(
            info, self.subject_key, "population_register", "declared_at_my_properties"
        )
        return None if value is None else [rec.DeclaredPerson.of(v) for v in value]

    @strawberry.field
    async def identity_documents(self, info: Info) -> list[rec.IdentityDocument] | None:
        value = await _part(info, self.subject_key, "population_register", "identity_documents")
        return None if value is None else [rec.IdentityDocument.of(v) for v in value]

    @strawberry.field
    async def children(self, info: Info) -> list[rec.Child] | None:
        value = await _part(info, self.subject_key, "population_register", "children")
        return None if value is None else [rec.Child.of(v) for v in value]

    @strawberry.field(description="The 2nd pension pillar; null: not a participant or unknown.")
    async def pension(self, info: Info) -> rec.PensionAccount | None:
        value = await _part(info, self.subject_key, "ssia", "pension")
        return rec.PensionAccount.of(value) if value else None

    @strawberry.field
    async def family_doctor(self, info: Info) -> rec.FamilyDoctor | None:
        value = await _part(info, self.subject_key, "nhs", "family_doctor")
        return rec.FamilyDoctor.of(value) if value else None

    @strawberry.field
    async def vehicles(self, info: Info) -> list[rec.Vehicle] | None:
        value = await _part(info, self.subject_key, "csdd", "vehicles")
        return None if value is None else [rec.Vehicle.of(v) for v in value]

    @strawberry.field
    async def driving_licence(self, info: Info) -> rec.DrivingLicence | None:
        value = await _part(info, self.subject_key, "csdd", "driving_licence")
        return rec.DrivingLicence.of(value) if value else None

    @strawberry.field(description="Properties owned, each with its manager.")
    async def properties(self, info: Info) -> list[rec.Property] | None:
        value = await _part(info, self.subject_key, "land_service", "properties")
        return None if value is None else [rec.Property.of(v) for v in value]

    @strawberry.field
    async def tax_account(self, info: Info) -> rec.TaxAccount | None:
        value = await _part(info, self.subject_key, "srs", "tax_account")
        return rec.TaxAccount.of(value) if value else None

    @strawberry.field(
        description="This calendar year's real-estate tax payment notices, one per municipality "
        "(null: the municipalities could not be asked)."
    )
    async def real_estate_tax(self, info: Info) -> list[rec.RealEstateTax] | None:
        value = await _part(info, self.subject_key, "municipalities", "real_estate_tax")
        return None if value is None else [rec.RealEstateTax.of(v) for v in value]

    @strawberry.field(description="Last year's annual income declaration.")
    async def income_declaration(self, info: Info) -> rec.IncomeDeclaration | None:
        value = await _part(info, self.subject_key, "srs", "income_declaration")
        return rec.IncomeDeclaration.of(value) if value else None

    @strawberry.field(description="Companies the person is an officer of.")
    async def companies(self, info: Info) -> list[co.CompanyRole] | None:
        scope = await dashboard_scope(info, self.subject_key)
        value = await _part(info, self.subject_key, "enterprise_register", "companies")
        if value is None or scope.subject.registry_key is None:
            return None
        roles = (co.CompanyRole.of(v, scope.subject.registry_key) for v in value)
        return [role for role in roles if role is not None]

    @strawberry.field(description="Changes since my last visit (sources are read first).")
    async def changes(self, info: Info, first: int = 50) -> DashboardChanges:
        scope = await dashboard_scope(info, self.subject_key)
        await load_all(info, self.subject_key)  # a fresh answer is compared before we list
        return DashboardChanges.of(
            await changes.timeline(scope.viewer.person.id, limit=max(1, min(first, 200)))
        )

    @strawberry.field(description="Which sources may feed my dashboard, with the history.")
    async def consents(self, info: Info) -> list[SourceConsent]:
        scope = await dashboard_scope(info, self.subject_key)
        decisions = await consent.history(scope.viewer.person.id)
        return [SourceConsent.of(state, decisions) for state in consent.fold(decisions).values()]

    @strawberry.field(description="Who looked at my data: registry reads made for me.")
    async def data_access(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> DataAccessPage:
        return await _data_access(info, self.subject_key, first, after)


@strawberry.type(description="What the registries say about a company the viewer acts for.")
class CompanyDashboard:
    subject_key: strawberry.Private[str]
    subject_id: strawberry.ID
    name: str

    @strawberry.field
    async def sources(self, info: Info) -> list[SourceState]:
        return await _sources(info, self.subject_key)

    @strawberry.field
    async def company(self, info: Info) -> co.Company | None:
        value = await _part(info, self.subject_key, "enterprise_register", "company")
        return co.Company.of(value) if value else None

    @strawberry.field(description="Officers and how each may represent the company.")
    async def officers(self, info: Info) -> list[co.Officer] | None:
        scope = await dashboard_scope(info, self.subject_key)
        value = await _part(info, self.subject_key, "enterprise_register", "company")
        if value is None:
            return None
        own = scope.viewer.person.personal_code
        return [co.Officer.of(officer, own) for officer in value.officers]

    @strawberry.field(description="VAT and employer status, tax account balance.")
    async def tax_status(self, info: Info) -> co.CompanyTaxStatus | None:
        value = await _part(info, self.subject_key, "srs", "tax_status")
        return co.CompanyTaxStatus.of(value) if value else None

    @strawberry.field(description="Who read the company's data (officers only).")
    async def data_access(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> DataAccessPage:
        return await _data_access(info, self.subject_key, first, after)


DashboardResult = Annotated[
    PersonDashboard | CompanyDashboard | ForbiddenError | StepUpRequired,
    strawberry.union("DashboardResult"),
]


@strawberry.type(description="The viewer has seen their changes up to seenUpTo.")
class DashboardSeen:
    seen_up_to: datetime
