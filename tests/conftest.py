"""Shared fixtures: settings for the mode under test, real services, the app on loopback.

The mode comes from the environment exactly as in production: `DATABASE_URL` and `REDIS_URL`
unset means SQLite + in-process store; `.ci/run` runs the suite a second time with both set.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from backend.app import create_app
from backend.lib import db
from backend.lib.time import utcnow
from backend.services import Services
from backend.settings import DASHBOARD_SOURCES, Settings, load_settings
from integrations.devstack.dev_idp import default_client
from tests.idp_driver import RunningIdP, running_idp
from tests.sandbox_driver import TODAY, Sandbox, running_sandbox
from tests.servers import bound_socket, serve

RUN_ID = uuid.uuid4().hex[:8]


def base_environment(var_dir: Path, public_url: str, **overrides: str) -> dict[str, str]:
    """The settings environment for this test run's mode, plus `overrides`."""
    env = {
        "SECRET_KEY": "test-" + secrets.token_urlsafe(32),
        "PUBLIC_URL": public_url,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir / 'test.sqlite3'}",
        "STORE_NAMESPACE": f"vienuviet-test-{RUN_ID}",
        # The suite logs in far more often than a person could; tests of the limits themselves
        # build an app with small limits.
        "LOGIN_RATE_PER_MINUTE": "100000",
        "MUTATION_RATE_PER_MINUTE": "100000",
        "DASHBOARD_REFRESH_LIMIT": "100000",
        # A busy test machine must not turn a slow answer into "stale"; fault tests set their own.
        **{f"DASHBOARD_{source.upper()}_BUDGET_MS": "10000" for source in DASHBOARD_SOURCES},
    }
    if redis_url := os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = redis_url
    env.update(overrides)
    return env


def pytest_report_header(config: pytest.Config) -> str:
    db_mode = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    store_mode = "redis" if os.environ.get("REDIS_URL") else "memory"
    return f"vienuviet mode: {db_mode}+{store_mode}"


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def app_socket() -> Iterator[Any]:
    sock = bound_socket()
    yield sock
    sock.close()


@pytest.fixture(scope="session")
def public_url(app_socket: Any) -> str:
    host, port = app_socket.getsockname()[:2]
    return f"http://{host}:{port}"


@pytest.fixture(scope="session")
def idp_socket() -> Iterator[Any]:
    sock = bound_socket()
    yield sock
    sock.close()


@pytest.fixture(scope="session")
def idp_url(idp_socket: Any) -> str:
    host, port = idp_socket.getsockname()[:2]
    return f"http://{host}:{port}"


@pytest.fixture(scope="session")
def sandbox_socket() -> Iterator[Any]:
    sock = bound_socket()
    yield sock
    sock.close()


@pytest.fixture(scope="session")
def sandbox_url(sandbox_socket: Any) -> str:
    host, port = sandbox_socket.getsockname()[:2]
    return f"http://{host}:{port}"


@pytest.fixture(scope="session")
def settings(var_dir: Path, public_url: str, idp_url: str, sandbox_url: str) -> Settings:
    return load_settings(
        base_environment(var_dir, public_url, OIDC_ISSUER=idp_url, REGISTRY_URL=sandbox_url)
    )


@pytest.fixture(scope="session")
async def registry_sandbox(sandbox_socket: Any) -> AsyncIterator[Sandbox]:
    """The registry sandbox on loopback (today pinned, no latency), which the app's settings
    point at. Tests that inject faults reset it afterwards (see tests/integration/registries)."""
    async with running_sandbox(sock=sandbox_socket) as running:
        yield running


@pytest.fixture(scope="session")
async def idp(settings: Settings, idp_socket: Any) -> AsyncIterator[RunningIdP]:
    """The development identity provider on loopback, registered for the app under test."""
    async with running_idp(
        default_client(
            settings.web.public_url, settings.oidc.client_id, settings.oidc.client_secret
        ),
        sock=idp_socket,
        today=TODAY,  # the sandbox's day: ages from the login agree with the registries'
    ) as running:
        yield running


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[Services]:
    services = Services.build(settings)
    await services.start()
    await db.run_migrations(services.engine)
    try:
        yield services
    finally:
        await services.close()


@asynccontextmanager
async def variant_app(
    base: Settings,
    shared: Services,
    var_dir: Path,
    *,
    clock: Callable[[], datetime] | None = None,
    registry_clock: Callable[[], float] = time.monotonic,
    **overrides: str,
) -> AsyncIterator[tuple[str, Services]]:
    """Another app on loopback with some settings changed, sharing the test database.

    Yields its base URL and services; closes only what it opened (never the shared engine).
    `clock` replaces `Services.clock` (what decides the dashboard's freshness) before the app
    is built; `registry_clock` drives its registry breakers.
    """
    env = base_environment(
        var_dir,
        base.web.public_url,
        OIDC_ISSUER=base.oidc.issuer,
        REGISTRY_URL=base.registry.url,
        STORE_NAMESPACE=f"variant-{uuid.uuid4().hex[:8]}",
        **overrides,
    )
    settings = load_settings(env)
    services = Services.build(
        settings, clock=clock or utcnow, engine=shared.engine, registry_clock=registry_clock
    )
    try:
        async with serve(create_app(settings, services=services)) as url:
            yield url, services
    finally:
        await services.close_clients()


@pytest.fixture(scope="session")
def app(settings: Settings, services: Services) -> Litestar:
    return create_app(settings, services=services)


@pytest.fixture(scope="session")
async def base_url(app: Litestar, app_socket: Any) -> AsyncIterator[str]:
    async with serve(app, app_socket) as url:
        yield url


@pytest.fixture
async def http(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh client (own cookie jar) talking to the app over real HTTP."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield client
