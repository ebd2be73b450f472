"""In the running app the rules read the registries through the dashboard: one cache, and
every read in the person's "who looked at my data" log under the purpose `obligations`."""

from __future__ import annotations

import httpx

from backend.dashboard.facts_source import DashboardFacts
from backend.services import Services
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
    body = await graphql(http, OBLIGATIONS)
    assert "errors" not in body, body
    overview = body["data"]["obligations"]  # type: ignore[index]
    assert overview["obligations"], "Anna's documents and taxes give her obligations"
    unavailable = [s for s in overview["skipped"] if "unavailable" in s["reason"]]
    assert unavailable == []
    log = dashboard(await graphql(http, ACCESS, {"first": 50}))["dataAccess"]
    purposes = {entry["purpose"] for entry in log["entries"]}  # type: ignore[index]
    assert "obligations" in purposes
