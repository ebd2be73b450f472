"""Run the registry sandbox on loopback and build registry clients for it, as tests need.

"Today" is pinned so every relative date is exact; latency is zero; faults are set through the
sandbox's admin API like a benchmark or a developer would.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import httpx
from litestar import Litestar

from backend.settings import RegistrySettings
from integrations.devstack.sandbox import SandboxSettings, create_sandbox_app
from integrations.devstack.sandbox.settings import ZERO_LATENCY
from integrations.registries.clients import RegistryClients
from tests.servers import serve

TODAY = date(2026, 11, 27)  # a Friday
ADMIN_TOKEN = "test-admin-token"


@dataclass
class Sandbox:
    url: str
    app: Litestar
    admin: httpx.AsyncClient
    settings: SandboxSettings

    async def fault(self, source: str, **fault: Any) -> None:
        response = await self.admin.put(f"/admin/faults/{source}", json=fault)
        assert response.status_code == 200, response.text

    async def clear(self, source: str) -> None:
        assert (await self.admin.delete(f"/admin/faults/{source}")).status_code == 204

    async def stats(self) -> dict[str, Any]:
        response = await self.admin.get("/admin/stats")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    async def requests(self, source: str) -> int:
        return int((await self.stats())["requests"][source])

    async def reset(self) -> None:
        """Clear faults, counters, the clock offset and added declarations."""
        assert (await self.admin.post("/admin/reset")).status_code == 204

    async def declare(self, owner: str, **entry: str) -> dict[str, Any]:
        """Declare one more person at `owner`'s property (see the sandbox README)."""
        response = await self.admin.post(
            "/admin/population-register/declared-persons",
            json={"owner_personal_code": owner, **entry},
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def advance_clock(self, seconds: int) -> None:
        response = await self.admin.post("/admin/clock", json={"advance_s": seconds})
        assert response.status_code == 200


def sandbox_settings(**overrides: Any) -> SandboxSettings:
    base = SandboxSettings(
        port=0, latency_ms=ZERO_LATENCY, today=TODAY, admin_token=ADMIN_TOKEN, hang_max_s=30
    )
    return replace(base, **overrides)


@asynccontextmanager
async def running_sandbox(
    settings: SandboxSettings | None = None, sock: socket.socket | None = None
) -> AsyncIterator[Sandbox]:
    settings = settings or sandbox_settings()
    app = create_sandbox_app(settings)
    async with (
        serve(app, sock) as url,
        httpx.AsyncClient(
            base_url=url, headers={"authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10
        ) as admin,
    ):
        yield Sandbox(url, app, admin, settings)


def registry_settings(url: str, **overrides: Any) -> RegistrySettings:
    """Client settings for tests: quick backoff, a breaker that stays out of the way."""
    base = RegistrySettings(
        url=url,
        read_timeout_s=5.0,
        retries=2,
        backoff_base_s=0.001,
        backoff_max_s=0.005,
        breaker_failures=1000,
    )
    return replace(base, **overrides)


@asynccontextmanager
async def registry_clients(url: str, **overrides: Any) -> AsyncIterator[RegistryClients]:
    clock = overrides.pop("clock", None)
    settings = registry_settings(url, **overrides)
    clients = (
        RegistryClients.from_settings(settings, clock=clock)
        if clock
        else RegistryClients.from_settings(settings)
    )
    try:
        yield clients
    finally:
        await clients.aclose()


async def token_for(sandbox: Sandbox, scope: str | None = None) -> str:
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        response = await http.post(
            "/oauth/token",
            data=data,
            auth=(sandbox.settings.client_id, sandbox.settings.client_secret),
        )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
