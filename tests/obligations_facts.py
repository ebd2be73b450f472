"""Registry facts for the obligation rules, built from the real registry clients (against the
sandbox in tests) until the dashboard's facts source lands.

`alias` lets a test give a person or company of its own (a fresh personal code or registration
number, so its reminders are its own on a shared database) the registry data of a persona.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from backend.auth.people import PersonRecord
from backend.dashboard.facts import CompanyFacts, Fact, PersonFacts, SourceStatus
from backend.lib.identifiers import birth_date_from_personal_code
from integrations.registries.clients import RegistryClients
from integrations.registries.errors import RegistryError

T = TypeVar("T")


async def _fact(call: Awaitable[T]) -> Fact[T]:
    try:
        return Fact(await call, SourceStatus.OK)
    except RegistryError:
        return Fact(None, SourceStatus.UNAVAILABLE)


def _not_applicable() -> Fact[Any]:
    return Fact(None, SourceStatus.NOT_APPLICABLE)


@dataclass
class RegistryFacts:
    """`FactsSource` over `RegistryClients`: every source asked at once, each with its status."""

    clients: RegistryClients
    today: Callable[[], date]
    alias: dict[str, str] = field(default_factory=dict)
    """Personal code or registration number → the persona's (or company's) whose data to use."""

    async def person_facts(self, person: PersonRecord) -> PersonFacts:
        code = person.personal_code
        birth = (birth_date_from_personal_code(code) if code else None) or person.birth_date
        if code is None:
            na = _not_applicable
            return PersonFacts(
                None, birth, na(), na(), na(), na(), na(), na(), na(), na(), na(), na(), na(), na()
            )
        key = self.alias.get(code, code)
        c, year = self.clients, self.today().year
        pr, srs, csdd = c.population_register, c.srs, c.csdd
        facts = await asyncio.gather(
            _fact(pr.declared_address(key)),
            _fact(pr.declared_at_my_properties(key)),
            _fact(pr.identity_documents(key)),
            _fact(pr.children(key)),
            _fact(c.ssia.pension_second_pillar(key)),
            _fact(c.nhs.family_doctor(key)),
            _fact(csdd.vehicles(key)),
            _fact(csdd.driving_licence(key)),
            _fact(c.land_service.properties(key)),
            _fact(srs.tax_account(key)),
            _fact(c.municipalities.real_estate_tax(key, year)),
            _fact(srs.income_declaration(key, year - 1)),
            _fact(c.enterprise_register.companies_for_person(key)),
        )
        return PersonFacts(code, birth, *facts)  # type: ignore[arg-type]

    async def company_facts(self, registration_number: str) -> CompanyFacts:
        key = self.alias.get(registration_number, registration_number)
        company, status = await asyncio.gather(
            _fact(self.clients.enterprise_register.company(key)),
            _fact(self.clients.srs.company_tax_status(key)),
        )
        return CompanyFacts(registration_number, company, status)
