"""Obligations against the registry sandbox over real HTTP, with today pinned to the sandbox's.

Until the dashboard's facts source lands, facts come from the real registry clients
(`tests.obligations_facts.RegistryFacts`). The app under test (session-wide) gets them, and a
pinned clock, for the duration of each test that asks for `sandbox_obligations`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.auth.people import PersonRecord
from backend.auth.tables import Delegation, Person
from backend.obligations.service import Obligations
from backend.services import Services
from tests.obligations_facts import RegistryFacts
from tests.sandbox_driver import TODAY, Sandbox

NOON_IN_RIGA = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=UTC)


def pinned(services: Services, now: datetime, alias: dict[str, str] | None = None) -> Obligations:
    facts = RegistryFacts(services.registries, today=lambda: TODAY, alias=alias or {})
    return Obligations(facts=facts, rates=services.obligations.rates, clock=lambda: now)


@pytest.fixture
async def sandbox_obligations(
    services: Services, registry_sandbox: Sandbox
) -> AsyncIterator[Obligations]:
    """The app's obligations wired to the sandbox, today = the sandbox's today, noon in Riga."""
    original = services.obligations
    services.obligations = pinned(services, NOON_IN_RIGA)
    try:
        yield services.obligations
    finally:
        services.obligations = original


def fresh_personal_code() -> str:
    """A valid (birth-date-free) personal code nobody else in the test database has."""
    digits = f"{uuid.uuid4().int % 10**9:09d}"
    return f"32{digits[:4]}-{digits[4:]}"


def fresh_company_number() -> str:
    return f"5{uuid.uuid4().int % 10**10:010d}"


async def fresh_person(birth_date: date | None = None) -> PersonRecord:
    """A person of this test's own, as a login would have recorded them."""
    person_id = uuid.uuid4()
    code = fresh_personal_code()
    await Person.insert(
        Person(
            id=person_id,
            person_key=f"test {person_id}",
            personal_code=code,
            given_name="Test",
            family_name="Person",
            birth_date=birth_date,
        )
    ).run()
    return PersonRecord(person_id, code, None, "Test", "Person", "lv", birth_date)


async def delegate_company(grantee: PersonRecord, number: str, scopes: str) -> None:
    """Let `grantee` act for company `number` through a delegation of this test's own."""
    grantor = await fresh_person()
    await Delegation.insert(
        Delegation(
            company_number=number,
            company_name="Test company",
            grantor=grantor.id,
            grantee_personal_code=grantee.personal_code,
            scopes=scopes,
            valid_until=datetime.now(UTC) + timedelta(days=30),
        )
    ).run()
