"""Registry tests share the suite's sandbox (reset before each test) unless they need their own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from integrations.registries.clients import RegistryClients
from tests.sandbox_driver import Sandbox, registry_clients


@pytest.fixture
async def sandbox(registry_sandbox: Sandbox) -> Sandbox:
    """The shared sandbox, reset: no faults, counters at zero, clock back to real time.
    (Building an app costs a quarter second; tests needing other settings start their own.)"""
    response = await registry_sandbox.admin.post("/admin/reset")
    assert response.status_code == 204
    return registry_sandbox


@pytest.fixture
async def clients(sandbox: Sandbox) -> AsyncIterator[RegistryClients]:
    async with registry_clients(sandbox.url) as built:
        yield built
