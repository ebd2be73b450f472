"""Liveness and readiness for load balancers and orchestration."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from litestar import Response, get
from litestar.di import NamedDependency

from backend.lib import db

if TYPE_CHECKING:
    from backend.services import Services

CHECK_TIMEOUT_S = 2.0


@get("/healthz", include_in_schema=False, cache_control=None)
async def healthz() -> dict[str, str]:
    """The process is alive and serving requests."""
    return {"status": "ok"}


async def _check(name: str, probe: Any) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_S)
    except TimeoutError:
        return name, "timeout"
    except Exception as exc:  # any failure means not ready; the type tells operators why
        return name, type(exc).__name__
    return name, None


@get("/readyz", include_in_schema=False)
async def readyz(services: NamedDependency[Services]) -> Response[dict[str, Any]]:
    """Ready when the database (and Redis, when configured) answer; 503 names what failed."""
    checks = [_check("database", db.ping(services.engine))]
    if services.stores.redis is not None:
        checks.append(_check("redis", services.stores.ping()))
    results = await asyncio.gather(*checks)
    failing = {name: reason for name, reason in results if reason is not None}
    body: dict[str, Any] = {
        "status": "unavailable" if failing else "ok",
        "mode": services.settings.mode,
        "checks": {name: (reason or "ok") for name, reason in results},
    }
    return Response(
        body, status_code=503 if failing else 200, headers={"Cache-Control": "no-store"}
    )
