"""/readyz names the part that is down, so an operator knows where to look."""

from __future__ import annotations

from pathlib import Path

import httpx

from backend.app import create_app
from backend.services import Services
from backend.settings import load_settings
from tests.conftest import base_environment
from tests.servers import bound_socket, serve


async def test_readyz_is_503_naming_the_database_and_redis_when_unreachable(
    tmp_path: Path,
) -> None:
    closed = bound_socket()  # bound but never listening: connections are refused at once
    port = closed.getsockname()[1]
    settings = load_settings(
        base_environment(
            tmp_path,
            "http://127.0.0.1:8000",
            DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/nowhere",
            REDIS_URL=f"redis://127.0.0.1:{port}/0",
        )
    )
    services = Services.build(settings)  # not started: there is nothing to connect to
    try:
        async with (
            serve(create_app(settings, services=services)) as url,
            httpx.AsyncClient(base_url=url) as client,
        ):
            ready = await client.get("/readyz")
            alive = await client.get("/healthz")
    finally:
        await services.stores.close()
        closed.close()
    assert alive.status_code == 200
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] != "ok"
    assert body["checks"]["redis"] != "ok"
