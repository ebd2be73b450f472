"""Each source is asked at most once per request; cached answers are served until their TTL;
refreshDashboard asks again, at most DASHBOARD_REFRESH_LIMIT times per person and window."""

from __future__ import annotations

from pathlib import Path

from backend.services import Services
from backend.settings import Settings
from tests.auth_driver import graphql
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app
from tests.integration.dashboard.queries import PERSON, REFRESH, by_source, dashboard
from tests.sandbox_driver import Sandbox

# The same sources reached through many fields and two aliases of the dashboard.
OVERLAPPING = """{ me {
  a: dashboard { ... on PersonDashboard {
    declaredAddress { address } children { name } sources { name status }
    changes { newCount } taxAccount { balance } realEstateTax { year }
  } }
  b: dashboard { ... on PersonDashboard {
    identityDocuments { number } declaredAtMyProperties { name } incomeDeclaration { year }
    vehicles { plate } drivingLicence { number } pension { balance } familyDoctor { phone }
    properties { address } companies { role }
  } }
} }"""
# Registry calls that make up each source's answer for a person.
CALLS_PER_SOURCE = {
    "population_register": 4,
    "ssia": 1,
    "nhs": 1,
    "csdd": 2,
    "land_service": 1,
    "srs": 2,
    "municipalities": 1,
    "enterprise_register": 1,
}


async def counts(sandbox: Sandbox) -> dict[str, int]:
    requests = (await sandbox.stats())["requests"]
    return {source: requests[source] for source in CALLS_PER_SOURCE}


async def test_each_source_is_asked_once_per_request(
    fresh_app: DashboardApp, sandbox: Sandbox
) -> None:
    async with fresh_app.browser("martins") as browser:
        await graphql(browser, "{ me { subjects { id } } }")  # representation rights, once
        await sandbox.reset()
        body = await graphql(browser, OVERLAPPING)
        assert "errors" not in body, body
        assert await counts(sandbox) == CALLS_PER_SOURCE
        await graphql(browser, OVERLAPPING)  # no cache freshness here: asked again, once
    assert await counts(sandbox) == {s: 2 * n for s, n in CALLS_PER_SOURCE.items()}


async def test_cached_answers_are_served_and_refresh_asks_again(
    settings: Settings, services: Services, sandbox: Sandbox, tmp_path: Path
) -> None:
    async with (
        dashboard_app(settings, services, tmp_path) as app,
        app.browser("laura") as browser,
    ):
        first = by_source(dashboard(await graphql(browser, PERSON)))
        asked = await counts(sandbox)
        second = by_source(dashboard(await graphql(browser, PERSON)))
        assert await counts(sandbox) == asked  # all from the cache
        assert second == first  # same answers, same as-of times
        refreshed = await graphql(browser, REFRESH)
        result = refreshed["data"]["refreshDashboard"]  # type: ignore[index]
        assert result["__typename"] == "DashboardRefreshed"
        third = by_source(result["dashboard"])
        assert await counts(sandbox) == {s: asked[s] + n for s, n in CALLS_PER_SOURCE.items()}
    for name, state in third.items():
        assert state["status"] == "OK"
        assert str(state["asOf"]) > str(first[name]["asOf"])


async def test_refresh_selects_nothing_and_still_asks_every_source(
    fresh_app: DashboardApp, sandbox: Sandbox
) -> None:
    async with fresh_app.browser("edgars") as browser:
        await graphql(browser, "{ me { subjects { id } } }")
        await sandbox.reset()
        body = await graphql(browser, "mutation { refreshDashboard { __typename } }")
    assert body["data"] == {"refreshDashboard": {"__typename": "DashboardRefreshed"}}
    assert await counts(sandbox) == CALLS_PER_SOURCE


async def test_refresh_is_rate_limited_per_person(
    settings: Settings, services: Services, sandbox: Sandbox, tmp_path: Path
) -> None:
    async with (
        dashboard_app(settings, services, tmp_path, DASHBOARD_REFRESH_LIMIT="2") as app,
        app.browser("anna") as anna,
        app.browser("zane") as zane,
    ):
        answers = [(await graphql(anna, REFRESH))["data"]["refreshDashboard"] for _ in range(3)]  # type: ignore[index]
        other = (await graphql(zane, REFRESH))["data"]["refreshDashboard"]  # type: ignore[index]
        still = dashboard(await graphql(anna, PERSON))
    assert [a["__typename"] for a in answers] == [
        "DashboardRefreshed",
        "DashboardRefreshed",
        "RefreshRateLimited",
    ]
    assert answers[2]["code"] == "rate_limited"
    assert answers[2]["retryAfterSeconds"] >= 1
    assert other["__typename"] == "DashboardRefreshed"  # per person, not per app
    assert {s["status"] for s in by_source(still).values()} == {"OK"}  # reading still works
