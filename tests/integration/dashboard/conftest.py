"""Dashboard tests: the shared app (real logins) for persona data, and dashboard apps of their
own (small budgets, no cache) for faults, refreshes and counting registry calls.

A dashboard app has its own store, so its sessions are made directly in that store for a
persona known to the database (as a login would leave it); login itself is tested elsewhere.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from backend.auth.assurance import Level
from backend.auth.people import PersonRecord, get_person
from backend.auth.tables import Person
from backend.lib.db import unique_violation
from backend.lib.errors import UniqueViolation
from backend.lib.identifiers import make_personal_code
from backend.services import Services
from backend.settings import DASHBOARD_SOURCES, Settings
from integrations.devstack.personas import persona
from tests.conftest import variant_app
from tests.sandbox_driver import TODAY, Sandbox


@pytest.fixture
async def sandbox(registry_sandbox: Sandbox) -> AsyncIterator[Sandbox]:
    """The shared sandbox, reset before and after: no faults, no added declarations."""
    await registry_sandbox.reset()
    yield registry_sandbox
    await registry_sandbox.reset()


async def person_of(settings: Settings, slug: str) -> PersonRecord:
    """The persona as a person in our database, created as their first login would if missing.

    Found by personal code (or eIDAS id), as a login finds them: the database may hold them
    from another run, under another provider address."""
    who = persona(slug)
    match = (
        Person.personal_code == who.personal_code
        if who.personal_code
        else Person.eidas_id == who.eidas_id
    )
    row = await Person.select(Person.id).where(match).first()
    if row is None:
        try:
            async with unique_violation("created concurrently"):
                await Person.insert(
                    Person(
                        person_key=f"pc:{who.personal_code}"
                        if who.personal_code
                        else f"eidas:{who.eidas_id}",
                        personal_code=who.personal_code,
                        eidas_id=who.eidas_id,
                        given_name=who.given_name,
                        family_name=who.family_name,
                        birth_date=who.born_on(TODAY),
                        locale=who.locale,
                    )
                ).run()
        except UniqueViolation:
            pass
        row = await Person.select(Person.id).where(match).first()
    assert row is not None
    person = await get_person(row["id"])
    assert person is not None
    return person


@dataclass
class DashboardApp:
    url: str
    services: Services

    @asynccontextmanager
    async def browser(
        self,
        who: str | PersonRecord,
        level: Level = Level.HIGH,
        acting_as: str | None = None,
        patience_s: float = 20,
    ) -> AsyncIterator[httpx.AsyncClient]:
        """A client logged in as the persona (session made in this app's store), giving up on
        an answer after `patience_s` seconds."""
        person = (
            who if isinstance(who, PersonRecord) else await person_of(self.services.settings, who)
        )
        sessions = self.services.auth.sessions
        session_id, session = await sessions.create(
            str(person.id), await sessions.current_epoch(str(person.id)), int(level), None
        )
        if acting_as is not None:
            from dataclasses import replace

            await sessions.update(session_id, replace(session, acting_as=acting_as))
        async with httpx.AsyncClient(base_url=self.url, timeout=patience_s) as client:
            client.cookies.set(self.services.auth.cookies.session, session_id)
            yield client


async def stranger() -> PersonRecord:
    """Someone new to us, with a valid personal code no registry knows."""
    person_id = uuid.uuid4()
    born = date(1950, 1, 1) + timedelta(days=person_id.int % 20000)
    await Person.insert(
        Person(
            id=person_id,
            person_key=f"test {person_id}",
            personal_code=make_personal_code(born, person_id.int % 900),
            given_name="Test",
            family_name="Stranger",
        )
    ).run()
    person = await get_person(person_id)
    assert person is not None
    return person


def no_cache(budget_ms: int = 3000) -> dict[str, str]:
    """Settings for a dashboard app that asks the registries on every request."""
    env: dict[str, str] = {
        "REGISTRY_RETRIES": "1",
        "REGISTRY_BACKOFF_BASE_S": "0.01",
        "REGISTRY_BACKOFF_MAX_S": "0.02",
        "REGISTRY_BREAKER_FAILURES": "1000",
    }
    for source in DASHBOARD_SOURCES:
        env[f"DASHBOARD_{source.upper()}_TTL_S"] = "0"
        env[f"DASHBOARD_{source.upper()}_BUDGET_MS"] = str(budget_ms)
    return env


@asynccontextmanager
async def dashboard_app(
    settings: Settings,
    services: Services,
    var_dir: Path,
    *,
    clock: Callable[[], datetime] | None = None,
    registry_clock: Callable[[], float] = time.monotonic,
    **overrides: str,
) -> AsyncIterator[DashboardApp]:
    async with variant_app(
        settings, services, var_dir, clock=clock, registry_clock=registry_clock, **overrides
    ) as (url, own):
        yield DashboardApp(url, own)


@pytest.fixture
async def fresh_app(
    settings: Settings, services: Services, tmp_path: Path, registry_sandbox: Sandbox
) -> AsyncIterator[DashboardApp]:
    """A dashboard app with no caching (every request asks the registries)."""
    async with dashboard_app(settings, services, tmp_path, **no_cache()) as app:
        yield app
