"""Consent per source: granted by default; withdrawing stops the reads (withheld) and purges
the cached answer, fingerprints and changes of that source; granting again resumes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from backend.dashboard import consent
from backend.dashboard.cache import STORE_NAME, cache_key
from backend.dashboard.facts import SourceStatus
from backend.dashboard.service import person_facts
from backend.dashboard.tables import ChangeEntry, SeenState
from backend.dashboard.versions import STORE_NAME as VERSIONS_STORE
from backend.dashboard.versions import SubjectVersions
from backend.settings import DASHBOARD_SOURCES, Settings
from tests.auth_driver import graphql
from tests.integration.dashboard.conftest import DashboardApp, person_of, stranger
from tests.integration.dashboard.queries import CONSENTS, PERSON, SET_CONSENT, by_source, dashboard
from tests.sandbox_driver import Sandbox


@pytest.fixture
async def ilze(fresh_app: DashboardApp, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    person = await person_of(settings, "ilze")
    async with fresh_app.browser("ilze") as browser:
        yield browser
    # The database outlives the test: leave Ilze's sources as the other tests expect them.
    for source in ("ssia", "nhs"):
        await consent.set_consent(
            fresh_app.services.engine,
            _cache(fresh_app),
            SubjectVersions(fresh_app.services.stores.store(VERSIONS_STORE)),
            person.id,
            source,
            granted=True,
        )


def _cache(app: DashboardApp) -> consent.SourceCache:
    return consent.SourceCache(
        app.services.stores.store(STORE_NAME), app.services.settings.dashboard
    )


async def test_every_source_is_granted_until_the_person_decides(
    fresh_app: DashboardApp, sandbox: Sandbox
) -> None:
    async with fresh_app.browser(await stranger()) as browser:
        board = dashboard(await graphql(browser, CONSENTS))
        states = {c["source"]: c for c in board["consents"]}  # type: ignore[union-attr]
        assert set(states) == {s.upper() for s in DASHBOARD_SOURCES}
        for state in states.values():
            assert (state["granted"], state["changedAt"], state["history"]) == (True, None, [])
        fed = by_source(dashboard(await graphql(browser, PERSON)))
    assert {s["status"] for s in fed.values()} == {"OK"}  # nothing known, nothing failing


async def test_withdrawing_stops_reads_and_purges_what_we_hold(
    fresh_app: DashboardApp, ilze: httpx.AsyncClient, sandbox: Sandbox, settings: Settings
) -> None:
    person = await person_of(settings, "ilze")
    store = fresh_app.services.stores.store(STORE_NAME)
    before = dashboard(await graphql(ilze, PERSON))
    assert before["pension"] is not None
    assert await store.exists(cache_key("ssia", person.subject_key))
    assert await SeenState.exists().where(
        (SeenState.person == person.id) & (SeenState.source == "ssia")
    )
    for source in ("ssia", "nhs"):  # a change found earlier in each
        await ChangeEntry.insert(
            ChangeEntry(person=person.id, source=source, item="pension", change="changed")
        ).run()

    answer = await graphql(ilze, SET_CONSENT, {"source": "SSIA", "granted": False})
    changed = answer["data"]["setSourceConsent"]["consent"]  # type: ignore[index]
    assert (changed["source"], changed["granted"]) == ("SSIA", False)
    assert changed["changedAt"] is not None
    assert changed["history"][-1] == {"granted": False}

    assert not await store.exists(cache_key("ssia", person.subject_key))
    assert not await SeenState.exists().where(
        (SeenState.person == person.id) & (SeenState.source == "ssia")
    )
    assert not await ChangeEntry.exists().where(
        (ChangeEntry.person == person.id) & (ChangeEntry.source == "ssia")
    )
    assert await ChangeEntry.exists().where(  # other sources keep theirs
        (ChangeEntry.person == person.id) & (ChangeEntry.source == "nhs")
    )

    asked = await sandbox.requests("ssia")
    board = dashboard(await graphql(ilze, PERSON))
    ssia = by_source(board)["SSIA"]
    assert (ssia["status"], ssia["reason"]) == ("WITHHELD", "consent_withdrawn")
    assert "chose not to" in str(ssia["explanation"])
    assert board["pension"] is None
    assert by_source(board)["NHS"]["status"] == "OK"
    job = await person_facts(fresh_app.services.dashboard, person, purpose="obligations")
    assert job.pension.status is SourceStatus.WITHHELD
    assert await sandbox.requests("ssia") == asked  # neither the page nor a job asked

    again = await graphql(ilze, SET_CONSENT, {"source": "SSIA", "granted": True})
    history = again["data"]["setSourceConsent"]["consent"]["history"]  # type: ignore[index]
    assert history[-2:] == [{"granted": False}, {"granted": True}]
    resumed = dashboard(await graphql(ilze, PERSON))
    assert by_source(resumed)["SSIA"]["status"] == "OK"
    assert resumed["pension"] is not None
    assert await sandbox.requests("ssia") == asked + 1


async def test_the_same_decision_twice_is_recorded_once(
    ilze: httpx.AsyncClient, sandbox: Sandbox, settings: Settings
) -> None:
    person = await person_of(settings, "ilze")
    count = len(await consent.history(person.id))
    for _ in range(2):
        await graphql(ilze, SET_CONSENT, {"source": "NHS", "granted": False})
    assert len(await consent.history(person.id)) == count + 1


async def test_an_unknown_source_is_refused_by_the_schema(
    ilze: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    body = await graphql(ilze, SET_CONSENT, {"source": "BANK", "granted": False})
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"  # type: ignore[index]
