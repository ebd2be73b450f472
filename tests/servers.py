"""Real servers on loopback for tests: uvicorn serving an ASGI app inside the test event loop.

Running the servers in the tests' own (session-wide) event loop lets the app and the test code
share one database pool; every request still crosses a real TCP socket.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import uvicorn


class _QuietServer(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # pytest owns the process signals; a server inside the test loop must not take them.
        yield


def bound_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it, a keep-alive response written in two
    # parts waits for the client's delayed ACK (~40 ms per request on Linux's plain asyncio).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


@asynccontextmanager
async def serve(app: Any, sock: socket.socket | None = None) -> AsyncIterator[str]:
    """Serve `app` over HTTP on loopback; yield its base URL."""
    sock = sock or bound_socket()
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app, lifespan="on", log_config=None, access_log=False, ws="websockets-sansio"
    )
    server = _QuietServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(1000):
            if server.started:
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        else:
            raise RuntimeError("server did not start")
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
