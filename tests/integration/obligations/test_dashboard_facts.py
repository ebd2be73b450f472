"""In the running app the rules read the registries through the dashboard: one cache, and
every read in the person's "who looked at my data" log under the purpose `obligations`."""

from __future__ import annotations

import httpx

from backend.auth.people import find_by_personal_code
from backend.dashboard.cache import STORE_NAME, cache_key
from backend.dashboard.facts_source import DashboardFacts
from backend.services import Services
from backend.settings import DASHBOARD_SOURCES
from integrations.devstack.personas import persona
from tests.auth_driver import graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.dashboard.queries import ACCESS, dashboard
from tests.sandbox_driver import Sandbox

OBLIGATIONS = "{ obligations { obligations { rule dueDate } skipped { rule reason } } }"


async def test_obligations_come_from_the_dashboards_facts(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, services: Services
) -> None:
    assert isinstance(services.obligations.facts, DashboardFacts)
    await login_as(http, "anna", "eparaksts")
    anna = await find_by_personal_code(persona("anna").personal_code or "")
    assert anna is not None
    # Nothing cached for Anna, whatever ran before: the rules' reads go to the registries.
    cache = services.stores.store(STORE_NAME)
    for source in DASHBOARD_SOURCES:
        await cache.delete(cache_key(source, anna.subject_key))
    body = await graphql(http, OBLIGATIONS)
    assert "errors" not in body, body
    overview = body["data"]["obligations"]  # type: ignore[index]
    assert overview["obligations"], "Anna's documents and taxes give her obligations"
    unavailable = [s for s in overview["skipped"] if "unavailable" in s["reason"]]
    assert unavailable == []
    log = dashboard(await graphql(http, ACCESS, {"first": 50}))["dataAccess"]
    purposes = {entry["purpose"] for entry in log["entries"]}  # type: ignore[index]
    assert "obligations" in purposes
