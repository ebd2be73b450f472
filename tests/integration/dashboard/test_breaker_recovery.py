"""A source whose circuit opened comes back on its own: once the registry is healthy again and the
cooldown has passed, the very next dashboard shows it `OK`.

Each registry in turn is taken down through the sandbox's fault admin until its breaker opens,
the fault is lifted and the breakers' clock (injected, moved by hand: no sleeping) is moved past
the cooldown. Multi-part sources (the Population Register's four calls, CSDD's two, SRS's
three) are the case that used to stay `circuit_open` until a restart: the half-open trial was
cancelled by its sibling's refusal and no verdict was ever recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from backend.services import Services
from backend.settings import DASHBOARD_SOURCES, Settings
from tests.auth_driver import graphql
from tests.clock import ManualMonotonic
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app, no_cache
from tests.integration.dashboard.queries import PERSON, by_source, dashboard
from tests.sandbox_driver import Sandbox

COOLDOWN_S = 30


@pytest.fixture
async def breaker_app(
    settings: Settings, services: Services, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[DashboardApp, ManualMonotonic]]:
    """Every request asks the registries; one failed call opens a source's circuit."""
    clock = ManualMonotonic()
    env = {
        **no_cache(),
        "REGISTRY_RETRIES": "0",
        "REGISTRY_BREAKER_FAILURES": "1",
        "REGISTRY_BREAKER_COOLDOWN_S": str(COOLDOWN_S),
    }
    var_dir = tmp_path_factory.mktemp("breaker")
    async with dashboard_app(settings, services, var_dir, registry_clock=clock, **env) as app:
        yield app, clock


async def source_state(app: DashboardApp, source: str) -> dict[str, object]:
    async with app.browser("martins") as martins:
        return by_source(dashboard(await graphql(martins, PERSON)))[source.upper()]


@pytest.mark.parametrize("source", DASHBOARD_SOURCES)
async def test_a_source_is_ok_again_in_the_first_request_after_the_cooldown(
    breaker_app: tuple[DashboardApp, ManualMonotonic], sandbox: Sandbox, source: str
) -> None:
    app, clock = breaker_app
    await sandbox.fault(source, down=True)
    assert (await source_state(app, source))["reason"] == "http_status"  # the circuit opens
    asked = await sandbox.requests(source)
    refused = await source_state(app, source)
    assert refused["reason"] == "circuit_open"
    assert await sandbox.requests(source) == asked  # open: the registry is not even asked

    await sandbox.clear(source)
    clock.advance(COOLDOWN_S)
    recovered = await source_state(app, source)
    assert (recovered["status"], recovered["reason"]) == ("OK", None)
    assert app.services.registries.sources()[source].breaker.state == "closed"


@pytest.mark.parametrize("source", ["population_register", "csdd", "srs"])
async def test_a_failed_trial_opens_the_circuit_again_until_the_next_cooldown(
    breaker_app: tuple[DashboardApp, ManualMonotonic], sandbox: Sandbox, source: str
) -> None:
    app, clock = breaker_app
    await sandbox.fault(source, down=True)
    await source_state(app, source)
    clock.advance(COOLDOWN_S)
    asked = await sandbox.requests(source)
    trial = await source_state(app, source)  # still down: the trial fails
    assert trial["reason"] == "http_status"
    assert await sandbox.requests(source) == asked + 1  # one trial, the siblings waited for it
    assert (await source_state(app, source))["reason"] == "circuit_open"

    await sandbox.clear(source)
    clock.advance(COOLDOWN_S)
    assert (await source_state(app, source))["status"] == "OK"
