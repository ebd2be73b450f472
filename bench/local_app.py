"""The app on a loopback port with throwaway embedded settings, for benchmarks and screenshots.

Uses a fresh SQLite file and in-process store in a temporary directory, runs the migrations, and
serves the real app (create_app) with uvicorn in the caller's event loop.
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

import uvicorn
from litestar import Litestar

from backend.app import create_app
from backend.lib import db
from backend.services import Services
from backend.settings import load_settings


@dataclass
class LocalApp:
    url: str
    app: Litestar
    services: Services


@asynccontextmanager
async def running_app() -> AsyncIterator[LocalApp]:
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
            }
        )
        services = Services.build(settings)
        await services.start()
        await db.run_migrations(services.engine)
        app = create_app(settings, services=services)
        config = uvicorn.Config(app, lifespan="on", log_config=None, access_log=False)
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("the app stopped while starting")
                await asyncio.sleep(0.02)
            yield LocalApp(f"http://{host}:{port}", app, services)
        finally:
            server.should_exit = True
            await task
            await services.close()
            sock.close()
            reserved_idp.close()
