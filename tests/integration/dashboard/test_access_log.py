"""Who looked at my data: every registry read made for a person is logged (when, source,
purpose, on whose behalf, outcome), nothing more, and pages through keyset cursors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from backend.dashboard.service import person_facts
from backend.dashboard.tables import DataAccess
from backend.services import Services
from backend.settings import Settings
from tests.auth_driver import graphql
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app, stranger
from tests.integration.dashboard.queries import ACCESS, PERSON, REFRESH, dashboard
from tests.sandbox_driver import Sandbox


async def page(browser: httpx.AsyncClient, first: int, after: str | None = None) -> dict[str, Any]:
    body = await graphql(browser, ACCESS, {"first": first, "after": after})
    found: dict[str, Any] = dashboard(body)["dataAccess"]  # type: ignore[assignment]
    return found


async def test_my_own_reads_are_logged_as_self(fresh_app: DashboardApp, sandbox: Sandbox) -> None:
    person = await stranger()
    async with fresh_app.browser(person) as browser:
        dashboard(await graphql(browser, PERSON))
        entries = (await page(browser, 20))["entries"]
    assert len(entries) == 8
    assert {e["source"] for e in entries} == {
        "POPULATION_REGISTER",
        "SSIA",
        "NHS",
        "CSDD",
        "LAND_SERVICE",
        "SRS",
        "MUNICIPALITIES",
        "ENTERPRISE_REGISTER",
    }
    for entry in entries:
        assert (entry["onBehalf"], entry["purpose"], entry["outcome"]) == (
            "SELF",
            "dashboard",
            "ok",
        )
        assert (entry["actorId"], entry["actorName"]) == (str(person.id), "Test Stranger")


async def test_failed_reads_are_logged_with_why(fresh_app: DashboardApp, sandbox: Sandbox) -> None:
    person = await stranger()
    await sandbox.fault("nhs", error_rate=1.0, error_status=503)
    await sandbox.fault("csdd", hang=True)
    async with fresh_app.browser(person) as browser:
        dashboard(await graphql(browser, PERSON))
        entries = (await page(browser, 20))["entries"]
    outcomes = {e["source"]: e["outcome"] for e in entries}
    assert outcomes["NHS"] == "http_status"
    assert outcomes["CSDD"] == "timeout"
    assert outcomes["SSIA"] == "ok"


async def test_reads_served_from_the_cache_are_not_registry_reads(
    settings: Settings, services: Services, sandbox: Sandbox, tmp_path: Path
) -> None:
    person = await stranger()
    async with dashboard_app(settings, services, tmp_path) as app, app.browser(person) as browser:
        dashboard(await graphql(browser, PERSON))
        dashboard(await graphql(browser, PERSON))
        assert len((await page(browser, 50))["entries"]) == 8
        await graphql(browser, REFRESH)
        entries = (await page(browser, 50))["entries"]
    assert len(entries) == 16
    assert {e["purpose"] for e in entries[:8]} == {"dashboard_refresh"}


async def test_jobs_read_as_the_system(fresh_app: DashboardApp, sandbox: Sandbox) -> None:
    person = await stranger()
    facts = await person_facts(fresh_app.services.dashboard, person, purpose="obligations")
    assert facts.vehicles.value == []
    async with fresh_app.browser(person) as browser:
        entries = (await page(browser, 20))["entries"]
    assert len(entries) == 8
    for entry in entries:
        assert (entry["onBehalf"], entry["purpose"]) == ("SYSTEM", "obligations")
        assert (entry["actorId"], entry["actorName"]) == (None, None)


async def test_pages_follow_each_other_without_gaps_or_repeats(
    fresh_app: DashboardApp, sandbox: Sandbox
) -> None:
    person = await stranger()
    async with fresh_app.browser(person) as browser:
        for _ in range(3):
            dashboard(await graphql(browser, PERSON))
        everything = await page(browser, 100)
        assert len(everything["entries"]) == 24  # 3 visits × 8 sources
        assert everything["pageInfo"]["hasNextPage"] is False
        seen: list[str] = []
        cursor = None
        while True:
            current = await page(browser, 4, cursor)
            seen += [e["id"] for e in current["entries"]]
            if not current["pageInfo"]["hasNextPage"]:
                break
            cursor = current["pageInfo"]["endCursor"]
    assert seen == [e["id"] for e in everything["entries"]]
    assert [int(i) for i in seen] == sorted((int(i) for i in seen), reverse=True)


async def test_a_bad_cursor_or_page_size_is_a_clear_error(
    fresh_app: DashboardApp, sandbox: Sandbox
) -> None:
    async with fresh_app.browser(await stranger()) as browser:
        bad_cursor = await graphql(browser, ACCESS, {"first": 5, "after": "not-a-cursor"})
        too_many = await graphql(browser, ACCESS, {"first": 1000})
    assert bad_cursor["errors"][0]["extensions"]["code"] == "invalid_cursor"  # type: ignore[index]
    assert too_many["errors"][0]["extensions"]["code"] == "invalid_page_size"  # type: ignore[index]


async def test_the_log_holds_no_registry_data(fresh_app: DashboardApp, sandbox: Sandbox) -> None:
    async with fresh_app.browser("anna") as browser:
        dashboard(await graphql(browser, PERSON))
    rows = await DataAccess.select().order_by(DataAccess.id, ascending=False).limit(7)
    text = repr(rows)
    for secret in ("150385", "Bērziņ", "Brīvības", "Olga", "KA-1234", "Kalēja"):
        assert secret not in text
