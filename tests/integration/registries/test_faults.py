"""Every injected fault gives the caller a typed `RegistryError`, never a crash or half a model."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from integrations.devstack.personas import OZOLS_TECH, persona
from integrations.registries.clients import RegistryClients
from integrations.registries.errors import RegistryError
from integrations.registries.record import one
from integrations.registries.ssia.models import PensionAccount
from tests.sandbox_driver import (
    TODAY,
    Sandbox,
    registry_clients,
    running_sandbox,
)
from tests.servers import bound_socket

MARTINS = persona("martins").personal_code or ""
ZANE = persona("zane").personal_code or ""

# One call per registry, for a person every registry knows.
CALLS: dict[str, Callable[[RegistryClients, str], Awaitable[Any]]] = {
    "population_register": lambda c, code: c.population_register.declared_at_my_properties(code),
    "ssia": lambda c, code: c.ssia.pension_second_pillar(code),
    "nhs": lambda c, code: c.nhs.family_doctor(code),
    "csdd": lambda c, code: c.csdd.vehicles(code),
    "land_service": lambda c, code: c.land_service.properties(code),
    "srs": lambda c, code: c.srs.income_declaration(code, TODAY.year - 1),
    "municipalities": lambda c, code: c.municipalities.real_estate_tax(code, TODAY.year),
    "enterprise_register": lambda c, code: c.enterprise_register.companies_for_person(code),
}


async def _error(clients: RegistryClients, source: str, code: str = MARTINS) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        await CALLS[source](clients, code)
    assert caught.value.source == source
    return caught.value


@pytest.mark.parametrize("kind", ["html", "truncated", "missing_fields", "wrong_types"])
@pytest.mark.parametrize("source", list(CALLS))
async def test_malformed_answers_are_malformed_errors(
    sandbox: Sandbox, clients: RegistryClients, source: str, kind: str
) -> None:
    assert await CALLS[source](clients, MARTINS)  # real data first
    await sandbox.fault(source, malformed=kind)
    error = await _error(clients, source)
    assert (error.reason, error.status) == ("malformed", 200)
    await sandbox.clear(source)
    assert await CALLS[source](clients, MARTINS)  # and it recovers


@pytest.mark.parametrize("kind", ["missing_fields", "wrong_types"])
async def test_a_spoiled_empty_collection_is_malformed_too(
    sandbox: Sandbox, clients: RegistryClients, kind: str
) -> None:
    await sandbox.fault("csdd", malformed=kind)
    assert (await _error(clients, "csdd", ZANE)).reason == "malformed"


async def test_nested_records_are_checked(sandbox: Sandbox, clients: RegistryClients) -> None:
    # The first officer of the first company loses a field: the whole answer is refused.
    await sandbox.fault("enterprise_register", malformed="missing_fields")
    error = await _error(clients, "enterprise_register")
    assert error.detail == "$.items[0].registration_number: missing"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_http_status_errors(
    sandbox: Sandbox, clients: RegistryClients, status: int
) -> None:
    await sandbox.fault("nhs", error_rate=1.0, error_status=status)
    error = await _error(clients, "nhs")
    assert (error.reason, error.status) == ("http_status", status)


async def test_down_is_503_at_once(sandbox: Sandbox, clients: RegistryClients) -> None:
    await sandbox.fault("land_service", down=True)
    error = await _error(clients, "land_service")
    assert (error.reason, error.status) == ("http_status", 503)


async def test_a_hung_registry_is_a_timeout(sandbox: Sandbox) -> None:
    await sandbox.fault("srs", hang=True)
    async with registry_clients(sandbox.url, read_timeout_s=0.2, retries=0) as clients:
        error = await _error(clients, "srs")
        assert error.reason == "timeout"
        # Other registries are not held up by the hung one.
        assert await clients.nhs.family_doctor(MARTINS) is not None


async def test_latency_beyond_the_read_timeout_is_a_timeout(sandbox: Sandbox) -> None:
    await sandbox.fault("csdd", latency_ms=5_000)
    async with registry_clients(sandbox.url, read_timeout_s=0.2, retries=0) as clients:
        assert (await _error(clients, "csdd")).reason == "timeout"


async def test_a_refused_connection_is_a_connect_error() -> None:
    sock = bound_socket()  # bound, never listening: the kernel refuses connections
    host, port = sock.getsockname()[:2]
    try:
        async with registry_clients(f"http://{host}:{port}", retries=1) as clients:
            error = await _error(clients, "ssia")
    finally:
        sock.close()
    assert error.reason == "connect"


async def test_token_endpoint_failures_are_typed_and_not_retried(sandbox: Sandbox) -> None:
    await sandbox.fault("oauth", error_rate=1.0, error_status=503)
    async with registry_clients(sandbox.url, retries=3) as clients:
        error = await _error(clients, "ssia")
    assert (error.reason, error.status) == ("http_status", 503)
    stats = await sandbox.stats()
    assert stats["requests"]["oauth"] == 1  # a POST: never retried
    assert stats["requests"]["ssia"] == 0

    await sandbox.fault("oauth", malformed="truncated")
    async with registry_clients(sandbox.url) as clients:
        assert (await _error(clients, "ssia")).reason == "malformed"
    await sandbox.fault("oauth", hang=True)
    async with registry_clients(sandbox.url, read_timeout_s=0.2) as clients:
        assert (await _error(clients, "ssia")).reason == "timeout"


async def test_faults_belong_to_one_sandbox_instance(sandbox: Sandbox) -> None:
    await sandbox.fault("srs", down=True)
    async with running_sandbox() as other, registry_clients(other.url) as clients:
        assert await clients.srs.company_tax_status(OZOLS_TECH.registration_number) is not None
        assert (await other.admin.get("/admin/faults")).json() == {}
    assert (await sandbox.admin.get("/admin/faults")).json()["srs"]["down"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 1.5},
        {"error_status": 404},
        {"latency_ms": -1},
        {"malformed": "garbled"},
        {"hang": "yes"},
        {"explode": True},
        ["down"],
    ],
)
async def test_admin_refuses_bad_fault_definitions(sandbox: Sandbox, body: Any) -> None:
    response = await sandbox.admin.put("/admin/faults/ssia", json=body)
    assert response.status_code == 400
    assert (await sandbox.admin.get("/admin/faults")).json() == {}


async def test_admin_names_unknown_sources(sandbox: Sandbox) -> None:
    response = await sandbox.admin.put("/admin/faults/tax_office", json={"down": True})
    assert response.status_code == 404


async def test_failures_never_log_payloads_or_personal_data(
    sandbox: Sandbox, clients: RegistryClients, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for kind in ("html", "truncated", "missing_fields", "wrong_types"):
        await sandbox.fault("population_register", malformed=kind)
        await _error(clients, "population_register")
    await sandbox.fault("population_register", error_rate=1.0)
    await _error(clients, "population_register")
    # Our own and Authlib's loggers; httpx logs URLs at INFO, which production logging
    # (backend.lib.logging) silences.
    ours = [r for r in caplog.records if r.name.startswith(("vienuviet", "authlib"))]
    assert ours, "failures are logged (by source and reason)"
    text = "\n".join(r.getMessage() for r in ours)
    for secret in (MARTINS, "Inese", "Ozola", "Kalnciema", "Mārtiņš", "<html"):
        assert secret not in text
    assert all(r.exc_info is None for r in ours)


async def test_not_found_needs_the_registry_s_own_answer(
    sandbox: Sandbox, clients: RegistryClients
) -> None:
    # A 404 from a wrong URL is a configuration error, not "no such record".
    with pytest.raises(RegistryError) as caught:
        await clients.ssia.http.get(f"/ssia/v1/persons/{MARTINS}/pension", one(PensionAccount))
    assert (caught.value.reason, caught.value.status) == ("http_status", 404)
    assert await sandbox.requests("ssia") == 1  # a 4xx is not retried
    # The registry's own "none" is None.
    assert await clients.ssia.pension_second_pillar(ZANE) is None
