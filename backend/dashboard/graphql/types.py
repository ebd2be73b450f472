"""The dashboard types: a person's and a company's. Every field resolver re-checks the
viewer's right to the subject (`guard.dashboard_scope`) and loads its source through the
request's loader, so each source is asked at most once per request whatever is selected."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar

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
from integrations.registries.csdd import models as csdd
from integrations.registries.enterprise_register import models as ur
from integrations.registries.land_service import models as land
from integrations.registries.municipalities import models as municipal
from integrations.registries.nhs import models as nhs
from integrations.registries.population_register import models as pr
from integrations.registries.record import Record
from integrations.registries.srs import models as srs
from integrations.registries.ssia import models as ssia

R = TypeVar("R", bound=Record)


async def _part(info: Info, subject_key: str, source: str, part: str) -> Any:
    """A part's value, or None when the source could not say (see `sources`)."""
    return (await load_source(info, subject_key, source)).part(part)


async def _record(info: Info, subject_key: str, source: str, part: str, kind: type[R]) -> R | None:
    """A part that is one record (or None), as the record it is."""
    value = await _part(info, subject_key, source, part)
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{source}.{part} holds no {kind.__name__}")
    return value


async def _records(
    info: Info, subject_key: str, source: str, part: str, kind: type[R]
) -> list[R] | None:
    """A part that is a list of records (or None: the source could not say)."""
    value = await _part(info, subject_key, source, part)
    if value is not None and not all(isinstance(item, kind) for item in value):
        raise TypeError(f"{source}.{part} holds no {kind.__name__} list")
    return value  # type: ignore[no-any-return]


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

    @strawberry.field(graphql_type=rec.DeclaredAddress | None)
    async def declared_address(self, info: Info) -> pr.DeclaredAddress | None:
        return await _record(
            info, self.subject_key, "population_register", "declared_address", pr.DeclaredAddress
        )

    @strawberry.field(
        description="Others declared at my properties; null when unknown.",
        graphql_type=list[rec.DeclaredPerson] | None,
    )
    async def declared_at_my_properties(self, info: Info) -> list[pr.DeclaredPerson] | None:
        return await _records(
            info,
            self.subject_key,
            "population_register",
            "declared_at_my_properties",
            pr.DeclaredPerson,
        )

    @strawberry.field(graphql_type=list[rec.IdentityDocument] | None)
    async def identity_documents(self, info: Info) -> list[pr.IdentityDocument] | None:
        return await _records(
            info, self.subject_key, "population_register", "identity_documents", pr.IdentityDocument
        )

    @strawberry.field(graphql_type=list[rec.Child] | None)
    async def children(self, info: Info) -> list[pr.Child] | None:
        return await _records(info, self.subject_key, "population_register", "children", pr.Child)

    @strawberry.field(
        description="The 2nd pension pillar; null: not a participant or unknown.",
        graphql_type=rec.PensionAccount | None,
    )
    async def pension(self, info: Info) -> ssia.PensionAccount | None:
        return await _record(info, self.subject_key, "ssia", "pension", ssia.PensionAccount)

    @strawberry.field(graphql_type=rec.FamilyDoctor | None)
    async def family_doctor(self, info: Info) -> nhs.FamilyDoctor | None:
        return await _record(info, self.subject_key, "nhs", "family_doctor", nhs.FamilyDoctor)

    @strawberry.field(graphql_type=list[rec.Vehicle] | None)
    async def vehicles(self, info: Info) -> list[csdd.Vehicle] | None:
        return await _records(info, self.subject_key, "csdd", "vehicles", csdd.Vehicle)

    @strawberry.field(graphql_type=rec.DrivingLicence | None)
    async def driving_licence(self, info: Info) -> csdd.DrivingLicence | None:
        return await _record(info, self.subject_key, "csdd", "driving_licence", csdd.DrivingLicence)

    @strawberry.field(
        description="Properties owned, each with its manager.",
        graphql_type=list[rec.Property] | None,
    )
    async def properties(self, info: Info) -> list[land.Property] | None:
        return await _records(info, self.subject_key, "land_service", "properties", land.Property)

    @strawberry.field(graphql_type=rec.TaxAccount | None)
    async def tax_account(self, info: Info) -> srs.TaxAccount | None:
        return await _record(info, self.subject_key, "srs", "tax_account", srs.TaxAccount)

    @strawberry.field(
        description="This calendar year's real-estate tax payment notices, one per municipality "
        "(null: the municipalities could not be asked).",
        graphql_type=list[rec.RealEstateTax] | None,
    )
    async def real_estate_tax(self, info: Info) -> list[municipal.RealEstateTaxNotice] | None:
        return await _records(
            info,
            self.subject_key,
            "municipalities",
            "real_estate_tax",
            municipal.RealEstateTaxNotice,
        )

    @strawberry.field(
        description="Last year's annual income declaration.",
        graphql_type=rec.IncomeDeclaration | None,
    )
    async def income_declaration(self, info: Info) -> srs.IncomeDeclaration | None:
        return await _record(
            info, self.subject_key, "srs", "income_declaration", srs.IncomeDeclaration
        )

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

    @strawberry.field(graphql_type=co.Company | None)
    async def company(self, info: Info) -> ur.CompanyRecord | None:
        return await _record(
            info, self.subject_key, "enterprise_register", "company", ur.CompanyRecord
        )

    @strawberry.field(
        description="Officers and how each may represent the company.",
        graphql_type=list[co.Officer] | None,
    )
    async def officers(self, info: Info) -> list[ur.Officer] | None:
        scope = await dashboard_scope(info, self.subject_key)
        value = await _part(info, self.subject_key, "enterprise_register", "company")
        if value is None:
            return None
        own = scope.viewer.person.personal_code
        return [co.officer_for(officer, own) for officer in value.officers]

    @strawberry.field(
        description="VAT and employer status, tax account balance.",
        graphql_type=co.CompanyTaxStatus | None,
    )
    async def tax_status(self, info: Info) -> srs.CompanyTaxStatus | None:
        return await _record(info, self.subject_key, "srs", "tax_status", srs.CompanyTaxStatus)

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
