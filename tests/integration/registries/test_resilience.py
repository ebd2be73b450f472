"""Retries for reads and the circuit breaker per source, against the sandbox's faults."""

from __future__ import annotations

import asyncio

import pytest

from integrations.errors import RegistryError
from integrations.personas import persona
from tests.sandbox_driver import Sandbox, registry_clients

ANNA = persona("anna").personal_code or ""


class FakeClock:
    """The breakers' monotonic clock, moved by hand: no sleeping, no timing."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


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
    clock = FakeClock()
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


async def test_half_open_lets_exactly_one_trial_through(sandbox: Sandbox) -> None:
    clock = FakeClock()
    await sandbox.fault("land_service", down=True)
    async with registry_clients(
        sandbox.url, retries=0, breaker_failures=1, breaker_cooldown_s=10, clock=clock
    ) as clients:
        with pytest.raises(RegistryError):
            await clients.land_service.properties(ANNA)
        clock.now += 10
        await sandbox.fault("land_service", hang=True)
        trial = asyncio.create_task(clients.land_service.properties(ANNA))
        for _ in range(1000):  # until the trial has reached the sandbox
            if await sandbox.requests("land_service") >= 2:
                break
            await asyncio.sleep(0.01)
        with pytest.raises(RegistryError) as caught:
            await clients.land_service.properties(ANNA)
        assert caught.value.reason == "circuit_open"
        trial.cancel()
        with pytest.raises(asyncio.CancelledError):
            await trial
        # A cancelled trial says nothing about the source: the next caller may try.
        await sandbox.clear("land_service")
        assert await clients.land_service.properties(ANNA)
        assert clients.land_service.http.breaker.state == "closed"


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
