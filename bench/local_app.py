"""The app on a loopback port with throwaway embedded settings, for benchmarks and screenshots.

Uses a fresh SQLite file and in-process store in a temporary directory, runs the migrations, and
serves the real app (create_app) with uvicorn in the caller's event loop. With `registries=True`
the registry sandbox (default latencies) is served in the same loop and the app points at it,
so `sign_in_persona` gives pages with real persona data.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from litestar import Litestar

from backend.app import create_app
from backend.auth.assurance import Level
from backend.auth.oidc import Identity
from backend.auth.people import upsert_from_identity
from backend.lib import db
from backend.services import Services
from backend.settings import load_settings
from integrations.devstack.personas import persona
from integrations.devstack.sandbox import SandboxSettings, create_sandbox_app


@dataclass
class LocalApp:
    url: str
    app: Litestar
    services: Services


@asynccontextmanager
async def serving(app: Any, sock: socket.socket) -> AsyncIterator[None]:
    """Serve an ASGI app on a bound socket in this event loop until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the server stopped while starting")
            await asyncio.sleep(0.02)
        yield
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def sandbox_url() -> AsyncIterator[str]:
    """The registry sandbox with its default latencies, on a loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()[:2]
    try:
        async with serving(create_sandbox_app(SandboxSettings(port=port)), sock):
            yield f"http://{host}:{port}"
    finally:
        sock.close()


async def sign_in_persona(local: LocalApp, slug: str, level: Level = Level.HIGH) -> str:
    """A session for a sandbox persona (as their login would leave it); returns its cookie value."""
    services = local.services
    who = persona(slug)
    identity = Identity(services.settings.oidc.issuer, who.sub, who.personal_code,
                        who.eidas_id, who.given_name, who.family_name, level, "lv", "")  # fmt: skip
    person = await upsert_from_identity(identity, services.engine)
    epoch = await services.auth.sessions.current_epoch(str(person.id))
    session_id, _ = await services.auth.sessions.create(str(person.id), epoch, int(level), None)
    return session_id


@asynccontextmanager
async def running_app(*, registries: bool = False) -> AsyncIterator[LocalApp]:
    if registries:
        async with sandbox_url() as url, _running_app({"REGISTRY_URL": url}) as local:
            yield local
    else:
        async with _running_app({}) as local:
            yield local


@asynccontextmanager
async def _running_app(extra: dict[str, str]) -> AsyncIterator[LocalApp]:
    with tempfile.TemporaryDirectory(prefix="vienuviet-local-") as tmp:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()[:2]
        reserved_idp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        reserved_idp.bind(("127.0.0.1", 0))  # never listening: logout needs no provider
        settings = load_settings(
            {
                "SECRET_KEY": secrets.token_urlsafe(48),
                "PUBLIC_URL": f"http://{host}:{port}",
                "VAR_DIR": tmp,
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'local.sqlite3'}",
                "OIDC_ISSUER": f"http://127.0.0.1:{reserved_idp.getsockname()[1]}",
                **extra,
            }
        )
        services = Services.build(settings)
        await services.start()
        await db.run_migrations(services.engine)
        app = create_app(settings, services=services)
        try:
            async with serving(app, sock):
                yield LocalApp(f"http://{host}:{port}", app, services)
        finally:
            await services.close()
            sock.close()
            reserved_idp.close()
