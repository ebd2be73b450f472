"""What the registries say about one subject at one moment: the input of the dashboard and of
the obligation rules.

Each source's value comes with its status, so a consumer can tell "the registry says there is
nothing" (`ok` with an empty value) from "we could not ask" (`unavailable`): a rule that needs
a source that is not `ok` or `stale` yields nothing and says why, never a wrong date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from integrations.registries.csdd.models import DrivingLicence, Vehicle
from integrations.registries.enterprise_register.models import CompanyRecord
from integrations.registries.land_service.models import Property
from integrations.registries.municipalities.models import RealEstateTaxNotice
from integrations.registries.nhs.models import FamilyDoctor
from integrations.registries.population_register.models import (
    Child,
    DeclaredAddress,
    DeclaredPerson,
    IdentityDocument,
)
from integrations.registries.srs.models import (
    CompanyTaxStatus,
    IncomeDeclaration,
    TaxAccount,
)
from integrations.registries.ssia.models import PensionAccount

T = TypeVar("T")


class SourceStatus(StrEnum):
    OK = "ok"
    """Fresh from the registry (or from a cache younger than the source's TTL)."""
    STALE = "stale"
    """The registry failed or was too slow; this is the last known value (see `as_of`)."""
    UNAVAILABLE = "unavailable"
    """The registry failed and nothing is known."""
    NOT_APPLICABLE = "not_applicable"
    """The source cannot answer for this subject (e.g. no Latvian personal code)."""
    WITHHELD = "withheld"
    """The person withdrew consent for this source: it is not asked."""


@dataclass(frozen=True)
class Fact(Generic[T]):
    """One source's answer: the value (None when unknown) and how far to trust it."""

    value: T | None
    status: SourceStatus
    as_of: datetime | None = None
    reason: str | None = None
    """Why the status is not `ok`: a registry failure (`timeout`, `http_status`, `malformed`,
    `connect`, `circuit_open`, `unauthorized`), `no_personal_code` or `consent_withdrawn`."""

    @property
    def usable(self) -> bool:
        return self.status in (SourceStatus.OK, SourceStatus.STALE) and self.value is not None


@dataclass(frozen=True)
class PersonFacts:
    """A person as the registries describe them. Sources are named as in `integrations/`."""

    personal_code: str | None
    birth_date: date | None
    """From the personal code or, for codes without one, from the login's `birthdate`."""
    declared_address: Fact[DeclaredAddress]
    declared_at_my_properties: Fact[list[DeclaredPerson]]
    identity_documents: Fact[list[IdentityDocument]]
    children: Fact[list[Child]]
    pension: Fact[PensionAccount]
    family_doctor: Fact[FamilyDoctor]
    vehicles: Fact[list[Vehicle]]
    driving_licence: Fact[DrivingLicence]
    properties: Fact[list[Property]]
    tax_account: Fact[TaxAccount]
    real_estate_tax: Fact[list[RealEstateTaxNotice]]
    """This calendar year's payment notices, one per municipality (the municipalities')."""
    income_declaration: Fact[IncomeDeclaration]
    """Last calendar year's declaration (the one filed in this year's spring)."""
    companies: Fact[list[CompanyRecord]] = field(
        default_factory=lambda: Fact([], SourceStatus.NOT_APPLICABLE)
    )


@dataclass(frozen=True)
class CompanyFacts:
    registration_number: str
    company: Fact[CompanyRecord]
    tax_status: Fact[CompanyTaxStatus]
