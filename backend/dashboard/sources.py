"""The dashboard's sources: which registry calls make up one source's answer for a subject.

A *source* is one registry (named as in `integrations/`). Its answer for a subject is a set of
*parts* — e.g. the Population Register's declared address, the people declared at my
properties, identity documents and children — asked concurrently and cached, consented to,
logged and shown with one status together.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from integrations.registries.clients import RegistryClients
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
from integrations.registries.record import Items, Record, convert, items_type, to_wire
from integrations.registries.srs.models import (
    CompanyTaxStatus,
    IncomeDeclaration,
    TaxAccount,
)
from integrations.registries.ssia.models import PensionAccount

SubjectKind = Literal["person", "company"]
Fetch = Callable[[RegistryClients, str, date], Coroutine[Any, Any, Any]]

TITLES: Mapping[str, str] = MappingProxyType(
    {
        "population_register": "Population Register",
        "ssia": "State Social Insurance Agency",
        "nhs": "National Health Service",
        "csdd": "Road Traffic Safety Directorate",
        "land_service": "State Land Service",
        "srs": "State Revenue Service",
        "municipalities": "Municipalities' real-estate tax register",
        "enterprise_register": "Enterprise Register",
    }
)


@dataclass(frozen=True)
class Part:
    """One registry call of a source: how to ask, and the record its answer is made of."""

    name: str
    fetch: Fetch
    record: type[Record]
    """The record (`integrations.registries.record`); its decoder reads cached answers too."""
    collection: bool
    """A list (`{"items": [...]}` on the wire) rather than one record or None."""

    def parse(self, wire: object) -> Any:
        """A cached part back into records; raises MalformedPayload if it is not whole."""
        if self.collection:
            envelope: Items[Record] = convert(wire, items_type(self.record))
            return list(envelope.items)
        return None if wire is None else convert(wire, self.record)

    def to_wire(self, value: Any) -> Any:
        """A part as its registry's own JSON (what `parse` reads back), for the cache."""
        if self.collection:
            return {"items": to_wire(list(value or ()))}
        return None if value is None else to_wire(value)


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: SubjectKind
    parts: tuple[Part, ...]

    @property
    def title(self) -> str:
        return TITLES[self.name]


def _one(name: str, fetch: Fetch, record: type[Record]) -> Part:
    return Part(name, fetch, record, collection=False)


def _many(name: str, fetch: Fetch, record: type[Record]) -> Part:
    return Part(name, fetch, record, collection=True)


PERSON_SOURCES: Mapping[str, SourceSpec] = MappingProxyType(
    {
        "population_register": SourceSpec(
            "population_register",
            "person",
            (
                _one(
                    "declared_address",
                    lambda c, code, _: c.population_register.declared_address(code),
                    DeclaredAddress,
                ),
                _many(
                    "declared_at_my_properties",
                    lambda c, code, _: c.population_register.declared_at_my_properties(code),
                    DeclaredPerson,
                ),
                _many(
                    "identity_documents",
                    lambda c, code, _: c.population_register.identity_documents(code),
                    IdentityDocument,
                ),
                _many(
                    "children",
                    lambda c, code, _: c.population_register.children(code),
                    Child,
                ),
            ),
        ),
        "ssia": SourceSpec(
            "ssia",
            "person",
            (
                _one(
                    "pension",
                    lambda c, code, _: c.ssia.pension_second_pillar(code),
                    PensionAccount,
                ),
            ),
        ),
        "nhs": SourceSpec(
            "nhs",
            "person",
            (_one("family_doctor", lambda c, code, _: c.nhs.family_doctor(code), FamilyDoctor),),
        ),
        "csdd": SourceSpec(
            "csdd",
            "person",
            (
                _many("vehicles", lambda c, code, _: c.csdd.vehicles(code), Vehicle),
                _one(
                    "driving_licence",
                    lambda c, code, _: c.csdd.driving_licence(code),
                    DrivingLicence,
                ),
            ),
        ),
        "land_service": SourceSpec(
            "land_service",
            "person",
            (_many("properties", lambda c, code, _: c.land_service.properties(code), Property),),
        ),
        "srs": SourceSpec(
            "srs",
            "person",
            (
                _one("tax_account", lambda c, code, _: c.srs.tax_account(code), TaxAccount),
                # The declaration filed this spring (last year's income).
                _one(
                    "income_declaration",
                    lambda c, code, today: c.srs.income_declaration(code, today.year - 1),
                    IncomeDeclaration,
                ),
            ),
        ),
        # Real-estate tax: the municipalities assess and collect it, not VID (Law on Real
        # Estate Tax); this calendar year's payment notices, one per municipality.
        "municipalities": SourceSpec(
            "municipalities",
            "person",
            (
                _many(
                    "real_estate_tax",
                    lambda c, code, today: c.municipalities.real_estate_tax(code, today.year),
                    RealEstateTaxNotice,
                ),
            ),
        ),
        "enterprise_register": SourceSpec(
            "enterprise_register",
            "person",
            (
                _many(
                    "companies",
                    lambda c, code, _: c.enterprise_register.companies_for_person(code),
                    CompanyRecord,
                ),
            ),
        ),
    }
)

COMPANY_SOURCES: Mapping[str, SourceSpec] = MappingProxyType(
    {
        "enterprise_register": SourceSpec(
            "enterprise_register",
            "company",
            (
                _one(
                    "company",
                    lambda c, number, _: c.enterprise_register.company(number),
                    CompanyRecord,
                ),
            ),
        ),
        "srs": SourceSpec(
            "srs",
            "company",
            (
                _one(
                    "tax_status",
                    lambda c, number, _: c.srs.company_tax_status(number),
                    CompanyTaxStatus,
                ),
            ),
        ),
    }
)


def sources_for(kind: SubjectKind) -> Mapping[str, SourceSpec]:
    return PERSON_SOURCES if kind == "person" else COMPANY_SOURCES
