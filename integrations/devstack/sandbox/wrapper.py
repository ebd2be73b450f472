"""The ASGI layer in front of the sandbox's routes: counts requests per source and applies the
source's base latency and injected faults before (or, for malformed bodies, after) the route."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from integrations.devstack.sandbox.faults import Malformation, malform
from integrations.devstack.sandbox.state import SandboxState, source_for_path


async def _answer(send: Send, status: int, body: bytes, content_type: str, **extra: str) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *((name.replace("_", "-").encode(), value.encode()) for name, value in extra.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _hang(receive: Receive, send: Send, max_s: float) -> None:
    """Say nothing until the client gives up (a disconnect), or `max_s` has passed."""
    try:
        async with asyncio.timeout(max_s):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        await _answer(send, 504, b'{"status":504,"code":"gateway_timeout"}', "application/json")


async def _spoiled(
    inner: ASGIApp, scope: Scope, receive: Receive, send: Send, kind: Malformation
) -> None:
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def capture(message: Any) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await inner(scope, receive, capture)
    body = b"".join(chunks)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    content_type = dict(headers).get(b"content-type", b"").decode()
    if start.get("status") == 200 and content_type.startswith("application/json"):
        body, content_type = malform(kind, body)
        headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        headers.append((b"content-type", content_type.encode()))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": start["status"], "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def with_faults(inner: ASGIApp, state: SandboxState) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        source = source_for_path(scope["path"]) if scope["type"] == ScopeType.HTTP else None
        if source is None:
            await inner(scope, receive, send)
            return
        state.requests[source] += 1
        fault = state.faults.get(source)
        if fault and fault.down:
            await _answer(send, 503, b"Service Unavailable\n", "text/plain", retry_after="30")
            return
        delay_ms = state.settings.latency_ms.get(source, 0) + (fault.latency_ms if fault else 0)
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if fault and fault.hang:
            await _hang(receive, send, state.settings.hang_max_s)
            return
        if fault and fault.error_rate and fault.next_fails():
            body = json.dumps({"status": fault.error_status, "code": "internal_error"}).encode()
            await _answer(send, fault.error_status, body, "application/json")
            return
        if fault and fault.malformed:
            await _spoiled(inner, scope, receive, send, fault.malformed)
            return
        await inner(scope, receive, send)

    return handle
