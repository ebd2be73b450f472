"""Registry faults over real HTTP (the sandbox's fault injection): each gives that source a
clear status — stale with the last known answer and its as-of time, or unavailable when nothing
is known — and never an error for the dashboard or a delay beyond the source's budget."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from backend.auth.people import PersonRecord
from backend.dashboard.cache import STORE_NAME, cache_key
from backend.services import Services
from backend.settings import Settings
from integrations.devstack.personas import persona
from tests.auth_driver import graphql
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app, no_cache, person_of
from tests.integration.dashboard.queries import PERSON, by_source, dashboard
from tests.sandbox_driver import Sandbox

FAULTS: dict[str, tuple[dict[str, Any], str]] = {
    "html page": ({"malformed": "html"}, "malformed"),
    "truncated json": ({"malformed": "truncated"}, "malformed"),
    "missing fields": ({"malformed": "missing_fields"}, "malformed"),
    "wrong types": ({"malformed": "wrong_types"}, "malformed"),
    "500": ({"error_rate": 1.0, "error_status": 500}, "http_status"),
    "502": ({"error_rate": 1.0, "error_status": 502}, "http_status"),
    "503": ({"error_rate": 1.0, "error_status": 503}, "http_status"),
    "504": ({"error_rate": 1.0, "error_status": 504}, "http_status"),
    "down": ({"down": True}, "http_status"),
    "hang": ({"hang": True}, "timeout"),
    "slower than its budget": ({"latency_ms": 20_000}, "timeout"),
}
# Which field shows each source's data on the person dashboard.
FIELDS = {
    "population_register": "declaredAtMyProperties",
    "ssia": "pension",
    "nhs": "familyDoctor",
    "csdd": "vehicles",
    "land_service": "properties",
    "srs": "taxAccount",
    "municipalities": "realEstateTax",
    "enterprise_register": "companies",
}


@pytest.fixture(scope="module")
async def fault_app(
    settings: Settings, services: Services, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DashboardApp]:
    """No cache freshness (every request asks), a 2.5 s budget per source: ample for an answer
    on a busy machine, short enough to wait out a hang."""
    var_dir = tmp_path_factory.mktemp("faults")
    async with dashboard_app(settings, services, var_dir, **no_cache(budget_ms=2500)) as app:
        yield app


async def forget(app: DashboardApp, person: PersonRecord, source: str) -> None:
    """Drop the last known answer, as if the source had never answered for this person."""
    await app.services.stores.store(STORE_NAME).delete(cache_key(source, person.subject_key))


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_failing_source_serves_its_last_answer_as_stale(
    fault_app: DashboardApp, sandbox: Sandbox, fault: str
) -> None:
    body, reason = FAULTS[fault]
    async with fault_app.browser("anna") as anna:
        before = by_source(dashboard(await graphql(anna, PERSON)))
        assert before["NHS"]["status"] == "OK"
        await sandbox.fault("nhs", **body)
        board = dashboard(await graphql(anna, PERSON))
    after = by_source(board)
    assert after["NHS"]["status"] == "STALE"
    assert after["NHS"]["reason"] == reason
    assert after["NHS"]["asOf"] == before["NHS"]["asOf"]
    assert "last time" in str(after["NHS"]["explanation"])
    assert board["familyDoctor"]["doctorName"] == "Inga Kalēja"  # type: ignore[index]
    for name, state in after.items():
        if name != "NHS":
            assert state["status"] == "OK", name
            assert str(state["asOf"]) > str(before[name]["asOf"]), name  # asked again


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_failing_source_with_nothing_known_is_unavailable(
    fault_app: DashboardApp, sandbox: Sandbox, settings: Settings, fault: str
) -> None:
    body, reason = FAULTS[fault]
    valdis = await person_of(settings, "valdis")
    await forget(fault_app, valdis, "csdd")
    await sandbox.fault("csdd", **body)
    async with fault_app.browser("valdis") as browser:
        board = dashboard(await graphql(browser, PERSON))
    states = by_source(board)
    assert states["CSDD"]["status"] == "UNAVAILABLE"
    assert states["CSDD"]["reason"] == reason
    assert states["CSDD"]["asOf"] is None
    assert "nothing saved" in str(states["CSDD"]["explanation"])
    assert board["vehicles"] is None  # unknown, not "none"
    assert board["drivingLicence"] is None
    assert board["pension"] is None  # Valdis is not a participant: OK and empty
    assert {s["status"] for name, s in states.items() if name != "CSDD"} == {"OK"}


@pytest.mark.parametrize("source", list(FIELDS))
async def test_every_source_can_fail_alone(
    fault_app: DashboardApp, sandbox: Sandbox, settings: Settings, source: str
) -> None:
    martins = await person_of(settings, "martins")
    await forget(fault_app, martins, source)
    await sandbox.fault(source, down=True)
    async with fault_app.browser("martins") as browser:
        board = dashboard(await graphql(browser, PERSON))
    states = by_source(board)
    assert states[source.upper()]["status"] == "UNAVAILABLE"
    assert board[FIELDS[source]] is None
    assert {s["status"] for n, s in states.items() if n != source.upper()} == {"OK"}


async def test_every_source_hung_still_answers_with_what_is_known(
    fault_app: DashboardApp, sandbox: Sandbox
) -> None:
    async with fault_app.browser("ilze") as ilze:
        dashboard(await graphql(ilze, PERSON))
        for source in FIELDS:
            await sandbox.fault(source, hang=True)
        board = dashboard(await graphql(ilze, PERSON))
    states = by_source(board)
    assert {s["status"] for s in states.values()} == {"STALE"}
    assert {s["reason"] for s in states.values()} == {"timeout"}
    assert board["pension"]["fundManager"]  # type: ignore[index]


async def test_a_registry_read_timeout_is_a_timeout_too(
    settings: Settings,
    services: Services,
    sandbox: Sandbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    env = {**no_cache(budget_ms=5000), "REGISTRY_READ_TIMEOUT_S": "0.2"}
    var_dir = tmp_path_factory.mktemp("read-timeout")
    async with dashboard_app(settings, services, var_dir, **env) as app:
        await sandbox.fault("ssia", latency_ms=2000)
        async with app.browser("kristaps") as browser:
            board = dashboard(await graphql(browser, PERSON))
    ssia = by_source(board)["SSIA"]
    assert (ssia["status"], ssia["reason"]) == ("UNAVAILABLE", "timeout")
    assert await sandbox.requests("ssia") == 2  # the client's own retry, then it gave up


async def test_faults_leave_no_personal_data_in_the_logs(
    fault_app: DashboardApp, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    anna = persona("anna")
    caplog.set_level(logging.DEBUG)
    async with fault_app.browser("anna") as browser:
        for source in FIELDS:
            await sandbox.fault(source, malformed="missing_fields")
        dashboard(await graphql(browser, PERSON))
    # What production logs: our own loggers, and warnings from anyone (backend.lib.logging
    # keeps third-party request logging at WARNING).
    kept = [r for r in caplog.records if r.name.startswith("vienuviet") or r.levelno >= 30]
    text = "\n".join(record.getMessage() for record in kept)
    assert "registry call failed" in text  # the failures were logged…
    for secret in (anna.personal_code or "", anna.family_name, "Brīvības", "Olga"):
        assert secret not in text  # …without who they were about
