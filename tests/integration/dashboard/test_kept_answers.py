"""Kept dashboard answers (backend/graphql/answers/): the same dashboard asked again is
answered from what was built before — and never once anything it was built from has changed:
a refresh, consent, logging out, acting for a company, another person, the end of a source's
freshness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.services import Services
from backend.settings import Settings
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import error_code
from tests.clock import ManualClock
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app
from tests.integration.dashboard.queries import CHANGES, REFRESH, SET_CONSENT
from tests.integration.dashboard.test_changes import newcomer
from tests.sandbox_driver import Sandbox

BOARD = """{ me { name dashboard { __typename
  ... on PersonDashboard {
    sources { name status reason }
    declaredAtMyProperties { name declaredOn }
    pension { balance fundManager }
  }
  ... on CompanyDashboard { name company { registrationNumber } }
} } }"""
SWITCH = "mutation($id: ID!) { switchActingAs(subjectId: $id) { __typename } }"


@pytest.fixture
async def caching_app(
    settings: Settings, services: Services, tmp_path: Path, sandbox: Sandbox
) -> AsyncIterator[DashboardApp]:
    """A dashboard app with the sources' usual TTLs and a store of its own (nothing cached)."""
    async with dashboard_app(settings, services, tmp_path) as app:
        yield app


async def ask(
    browser: httpx.AsyncClient, query: str = BOARD, variables: dict[str, Any] | None = None
) -> httpx.Response:
    response = await browser.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response


async def warm(browser: httpx.AsyncClient) -> httpx.Response:
    """Ask until the answer is kept: the first asks the registries, and an answer built while
    its own sources were written is not kept (it cannot tell its writes from anyone else's);
    the second is built from the cache and kept; the third is the kept answer."""
    await ask(browser)
    await ask(browser)
    third = await ask(browser)
    assert kept(third)
    return third


def kept(response: httpx.Response) -> bool:
    return response.headers.get("server-timing") == 'answer;desc="kept"'


def board(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["me"]["dashboard"]
    return found


def status_of(response: httpx.Response, source: str) -> str:
    return next(s["status"] for s in board(response)["sources"] if s["name"] == source)


async def test_the_same_dashboard_asked_again_is_the_kept_answer(
    caching_app: DashboardApp,
) -> None:
    async with caching_app.browser("anna") as browser:
        answers = [await ask(browser) for _ in range(4)]
    assert [kept(answer) for answer in answers] == [False, False, True, True]
    assert all(answer.json() == answers[0].json() for answer in answers)
    assert {s["status"] for s in board(answers[0])["sources"]} == {"OK"}


async def test_a_refresh_shows_new_registry_data_at_once(
    caching_app: DashboardApp, sandbox: Sandbox
) -> None:
    someone = newcomer()
    async with caching_app.browser("anna") as browser:
        await warm(browser)
        await sandbox.declare(persona("anna").personal_code or "", **someone)
        refreshed = (await ask(browser, REFRESH)).json()
        assert refreshed["data"]["refreshDashboard"]["__typename"] == "DashboardRefreshed"
        after = await ask(browser)
    assert not kept(after)
    assert someone["name"] in {p["name"] for p in board(after)["declaredAtMyProperties"]}


async def test_consent_withdrawn_and_given_again_shows_at_once(caching_app: DashboardApp) -> None:
    async with caching_app.browser("anna") as browser:
        await warm(browser)
        try:
            await ask(browser, SET_CONSENT, {"source": "SSIA", "granted": False})
            withheld = await ask(browser)
            assert not kept(withheld)
            assert status_of(withheld, "SSIA") == "WITHHELD"
            assert board(withheld)["pension"] is None
            again = await ask(browser)  # nothing asked, nothing changed: kept from now on
            assert kept(await ask(browser))
            assert again.json() == withheld.json()
        finally:
            await ask(browser, SET_CONSENT, {"source": "SSIA", "granted": True})
        granted = await ask(browser)
    assert not kept(granted)
    assert status_of(granted, "SSIA") == "OK"
    assert board(granted)["pension"]["fundManager"]


async def test_a_session_logged_out_everywhere_gets_no_kept_answer(
    caching_app: DashboardApp,
) -> None:
    async with caching_app.browser("anna") as phone, caching_app.browser("anna") as laptop:
        await warm(phone)
        out = (await ask(laptop, "mutation { logOutEverywhere }")).json()
        assert out["data"] == {"logOutEverywhere": True}
        after = await ask(phone)
    assert not kept(after)
    assert error_code(after.json()) == "unauthenticated"
    assert after.json()["data"] is None


async def test_acting_for_a_company_never_gets_the_persons_kept_answer(
    caching_app: DashboardApp,
) -> None:
    company = f"company:{OZOLS_TECH.registration_number}"
    async with caching_app.browser("martins") as browser:
        await warm(browser)
        switched = (await ask(browser, SWITCH, {"id": company})).json()
        assert switched["data"]["switchActingAs"]["__typename"] == "ActingAsSwitched"
        as_company = [await ask(browser), await ask(browser)]
    for answer in as_company:
        assert not kept(answer)  # a company's dashboard is authorized afresh every time
        assert board(answer)["__typename"] == "CompanyDashboard"
        assert board(answer)["company"]["registrationNumber"] == OZOLS_TECH.registration_number


async def test_two_people_asking_the_same_never_share_an_answer(
    caching_app: DashboardApp,
) -> None:
    async with caching_app.browser("anna") as anna, caching_app.browser("martins") as martins:
        answers = {}
        for name, browser in (("anna", anna), ("martins", martins)):
            first, third = await ask(browser), await warm(browser)
            assert third.json() == first.json()
            answers[name] = third.json()["data"]["me"]["name"]
    assert answers == {"anna": "Anna Bērziņa", "martins": "Mārtiņš Ozols"}


async def test_answers_reading_our_own_histories_are_executed_every_time(
    caching_app: DashboardApp,
) -> None:
    async with caching_app.browser("anna") as browser:
        answers = [await ask(browser, CHANGES) for _ in range(3)]
    assert not any(kept(answer) for answer in answers)


async def test_a_kept_answer_ends_when_its_first_source_stops_being_fresh(
    settings: Settings, services: Services, tmp_path: Path, sandbox: Sandbox
) -> None:
    someone = newcomer()
    clock = ManualClock()
    first_to_expire = min(policy.ttl_s for policy in settings.dashboard.sources.values())
    assert settings.dashboard.policy("population_register").ttl_s == first_to_expire
    async with (
        dashboard_app(settings, services, tmp_path, clock=clock) as app,
        app.browser("anna") as browser,
    ):
        await warm(browser)
        await sandbox.declare(persona("anna").personal_code or "", **someone)
        clock.advance(first_to_expire - 1)  # every source still fresh: nothing asked
        before = await ask(browser)
        clock.advance(1)  # the population register's answer is no longer fresh
        after = await ask(browser)
    assert kept(before)
    assert someone["name"] not in {p["name"] for p in board(before)["declaredAtMyProperties"]}
    assert not kept(after)
    assert someone["name"] in {p["name"] for p in board(after)["declaredAtMyProperties"]}


async def test_with_no_answers_to_keep_every_request_is_executed(
    settings: Settings, services: Services, tmp_path: Path, sandbox: Sandbox
) -> None:
    async with (
        dashboard_app(settings, services, tmp_path, GRAPHQL_KEPT_ANSWERS="0") as app,
        app.browser("anna") as browser,
    ):
        answers = [await ask(browser) for _ in range(4)]
    assert not any(kept(answer) for answer in answers)
    assert all(answer.json() == answers[0].json() for answer in answers)
