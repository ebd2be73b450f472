"""Retries for reads and the circuit breaker per source, against the sandbox's faults."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from integrations.devstack.personas import persona
from integrations.registries import deadline
from integrations.registries.clients import RegistryClients
from integrations.registries.errors import RegistryError
from tests.clock import ManualMonotonic
from tests.sandbox_driver import Sandbox, registry_clients

ANNA = persona("anna").personal_code or ""


async def test_a_failed_read_is_retried_and_succeeds(sandbox: Sandbox) -> None:
    await sandbox.fault("nhs", error_rate=0.5, error_status=503)  # first fails, second works
    async with registry_clients(sandbox.url, retries=2) as clients:
        assert await clients.nhs.family_doctor(ANNA) is not None
    assert await sandbox.requests("nhs") == 2


@pytest.mark.parametrize("retries", [0, 1, 3])
async def test_retries_stop_at_the_limit(sandbox: Sandbox, retries: int) -> None:
    await sandbox.fault("nhs", error_rate=1.0, error_status=502)
    async with registry_clients(sandbox.url, retries=retries) as clients:
        with pytest.raises(RegistryError) as caught:
            await clients.nhs.family_doctor(ANNA)
    assert (caught.value.reason, caught.value.status) == ("http_status", 502)
    assert await sandbox.requests("nhs") == retries + 1


async def test_timeouts_are_retried_too(sandbox: Sandbox) -> None:
    await sandbox.fault("ssia", hang=True)
    async with registry_clients(sandbox.url, retries=2, read_timeout_s=0.1) as clients:
        with pytest.raises(RegistryError) as caught:
            await clients.ssia.pension_second_pillar(ANNA)
    assert caught.value.reason == "timeout"
    assert await sandbox.requests("ssia") == 3


async def test_malformed_answers_are_not_retried(sandbox: Sandbox) -> None:
    await sandbox.fault("csdd", malformed="html")
    async with registry_clients(sandbox.url, retries=3) as clients:
        with pytest.raises(RegistryError):
            await clients.csdd.vehicles(ANNA)
    assert await sandbox.requests("csdd") == 1


async def test_circuit_opens_after_consecutive_failures_and_half_opens(sandbox: Sandbox) -> None:
    clock = ManualMonotonic()
    await sandbox.fault("srs", error_rate=1.0)
    async with registry_clients(
        sandbox.url, retries=0, breaker_failures=3, breaker_cooldown_s=30, clock=clock
    ) as clients:
        breaker = clients.srs.http.breaker
        for _ in range(3):
            with pytest.raises(RegistryError) as caught:
                await clients.srs.tax_account(ANNA)
            assert caught.value.reason == "http_status"
        assert breaker.state == "open"
        with pytest.raises(RegistryError) as caught:
            await clients.srs.tax_account(ANNA)
        assert caught.value.reason == "circuit_open"
        assert await sandbox.requests("srs") == 3  # the open circuit did not call
        assert await clients.nhs.family_doctor(ANNA) is not None  # other sources unaffected

        clock.now += 30
        assert breaker.state == "half_open"
        with pytest.raises(RegistryError) as caught:  # the trial fails: open again
            await clients.srs.tax_account(ANNA)
        assert caught.value.reason == "http_status"
        assert breaker.state == "open"
        assert await sandbox.requests("srs") == 4

        clock.now += 30
        await sandbox.clear("srs")
        assert await clients.srs.tax_account(ANNA) is not None  # the trial succeeds
        assert breaker.state == "closed"
        assert await clients.srs.tax_account(ANNA) is not None
        assert await sandbox.requests("srs") == 6


async def open_circuit(clients: RegistryClients, sandbox: Sandbox, clock: ManualMonotonic) -> None:
    """Land Service down until its circuit opens (one failure), then the cooldown passes."""
    await sandbox.fault("land_service", down=True)
    with pytest.raises(RegistryError):
        await clients.land_service.properties(ANNA)
    assert clients.land_service.http.breaker.state == "open"
    clock.advance(10)


async def until_requests(sandbox: Sandbox, source: str, count: int) -> None:
    """Wait until `count` requests for `source` have reached the sandbox."""
    for _ in range(1000):
        if await sandbox.requests(source) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{source} never saw {count} requests")


def one_failure_opens(clock: ManualMonotonic) -> dict[str, Any]:
    return {"retries": 0, "breaker_failures": 1, "breaker_cooldown_s": 10, "clock": clock}


async def test_half_open_sends_one_trial_and_the_others_wait_for_its_verdict(
    sandbox: Sandbox,
) -> None:
    clock = ManualMonotonic()
    async with registry_clients(sandbox.url, **one_failure_opens(clock)) as clients:
        await open_circuit(clients, sandbox, clock)
        await sandbox.fault("land_service", hang=True)
        with deadline.within(asyncio.get_running_loop().time() + 0.5):
            trial = asyncio.create_task(clients.land_service.properties(ANNA))
        await until_requests(sandbox, "land_service", 2)  # the trial is out
        others = [asyncio.create_task(clients.land_service.properties(ANNA)) for _ in range(3)]
        outcomes = await asyncio.gather(trial, *others, return_exceptions=True)
    reasons = [o.reason if isinstance(o, RegistryError) else o for o in outcomes]
    # The trial ran out of time: a failure, so the circuit opened again and the callers who
    # waited for it were refused without sending anything.
    assert reasons == ["timeout", "circuit_open", "circuit_open", "circuit_open"]
    assert clients.land_service.http.breaker.state == "open"
    assert await sandbox.requests("land_service") == 2


async def test_callers_who_waited_for_a_good_trial_go_ahead(sandbox: Sandbox) -> None:
    clock = ManualMonotonic()
    async with registry_clients(sandbox.url, **one_failure_opens(clock)) as clients:
        await open_circuit(clients, sandbox, clock)
        await sandbox.fault("land_service", latency_ms=200)  # back, slowly
        trial = asyncio.create_task(clients.land_service.properties(ANNA))
        await until_requests(sandbox, "land_service", 2)
        others = [asyncio.create_task(clients.land_service.properties(ANNA)) for _ in range(3)]
        answers = await asyncio.gather(trial, *others)
        assert all(answers)
        assert clients.land_service.http.breaker.state == "closed"
    assert await sandbox.requests("land_service") == 5


async def test_a_trial_whose_caller_is_cancelled_still_gives_its_verdict(
    sandbox: Sandbox,
) -> None:
    clock = ManualMonotonic()
    async with registry_clients(sandbox.url, **one_failure_opens(clock)) as clients:
        await open_circuit(clients, sandbox, clock)
        await sandbox.fault("land_service", latency_ms=200)
        caller = asyncio.create_task(clients.land_service.properties(ANNA))
        await until_requests(sandbox, "land_service", 2)
        caller.cancel()  # as a failing sibling part or a closed page would
        with pytest.raises(asyncio.CancelledError):
            await caller
        breaker = clients.land_service.http.breaker
        for _ in range(1000):  # the trial itself runs on to its answer
            if not breaker.trial_in_flight:
                break
            await asyncio.sleep(0.01)
        assert breaker.state == "closed"
        assert await clients.land_service.properties(ANNA)
    assert await sandbox.requests("land_service") == 3


async def test_a_deadline_ends_a_hung_call_and_the_breaker_counts_it(sandbox: Sandbox) -> None:
    clock = ManualMonotonic()
    await sandbox.fault("nhs", hang=True)
    settings = {"breaker_failures": 2, "breaker_cooldown_s": 10, "clock": clock}
    async with registry_clients(sandbox.url, read_timeout_s=60, **settings) as clients:
        for _ in range(2):
            with (
                deadline.within(asyncio.get_running_loop().time() + 0.2),
                pytest.raises(RegistryError) as caught,
            ):
                await clients.nhs.family_doctor(ANNA)
            assert caught.value.reason == "timeout"
        assert clients.nhs.http.breaker.state == "open"  # remembered: the next is not sent
        with pytest.raises(RegistryError) as caught:
            await clients.nhs.family_doctor(ANNA)
        assert caught.value.reason == "circuit_open"
    assert await sandbox.requests("nhs") == 2


async def test_a_call_with_no_time_left_is_not_sent(sandbox: Sandbox) -> None:
    async with registry_clients(sandbox.url, breaker_failures=1) as clients:
        with (
            deadline.within(asyncio.get_running_loop().time()),
            pytest.raises(RegistryError) as caught,
        ):
            await clients.nhs.family_doctor(ANNA)
        assert caught.value.reason == "timeout"
        assert clients.nhs.http.breaker.state == "closed"  # nothing said about the registry
    assert await sandbox.requests("nhs") == 0


async def test_not_found_and_refusals_do_not_open_the_circuit(sandbox: Sandbox) -> None:
    zane = persona("zane").personal_code or ""
    async with registry_clients(sandbox.url, breaker_failures=1) as clients:
        for _ in range(3):
            assert await clients.nhs.family_doctor(zane) is None
        assert clients.nhs.http.breaker.state == "closed"
    async with registry_clients(sandbox.url, breaker_failures=1, client_secret="wrong") as clients:
        for _ in range(2):
            with pytest.raises(RegistryError) as caught:
                await clients.nhs.family_doctor(zane)
            assert caught.value.reason == "unauthorized"
        assert clients.nhs.http.breaker.state == "closed"
