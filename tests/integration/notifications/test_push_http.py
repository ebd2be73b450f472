"""The push HTTP client (backend/notifications/channels/pushhttp.py) against real sockets on
loopback: keep-alive reuse, servers that close, stall or answer nonsense, and TLS that must
verify."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from backend.notifications.channels.pushhttp import PushHTTP, PushHTTPError, parse_endpoint
from bench.push_tls import client_context, make_certificate

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
CREATED = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"


async def _read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    """One request's head and body, or None when the client closed the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    return head, await reader.readexactly(length)


@asynccontextmanager
async def raw_server(
    handler: Handler, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[str]:
    """A scripted HTTP server; its connections are closed (and stalled handlers cancelled)
    on the way out."""
    running: set[asyncio.Task[None]] = set()

    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        running.add(task)
        try:
            await handler(reader, writer)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(run, "127.0.0.1", 0, ssl=ssl_context)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    finally:
        server.close()
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await server.wait_closed()


async def test_one_connection_carries_many_pushes_and_the_request_is_what_was_asked() -> None:
    seen: list[tuple[bytes, bytes]] = []
    connections = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while (request := await _read_request(reader)) is not None:
            seen.append(request)
            writer.write(CREATED)
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            for n in range(3):
                answer = await http.post(
                    f"{url}/push/abc?x=1", {"TTL": "60", "Topic": f"t{n}"}, b"\x00body"
                )
                assert (answer.status, answer.retry_after) == (201, None)
    finally:
        await http.close()
    assert connections == http.connections_opened == 1
    head, body = seen[2]
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /push/abc?x=1 HTTP/1.1"
    assert f"Host: {url.removeprefix('http://')}" in lines
    assert {"TTL: 60", "Topic: t2", "Content-Length: 5"} <= set(lines)
    assert body == b"\x00body"


async def test_retry_after_and_error_statuses_are_answers() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n5\r\nslow!\r\n0\r\n\r\n"
        )
        await _read_request(reader)
        writer.write(b"HTTP/1.1 410 Gone\r\nContent-Length: 4\r\n\r\ngone")
        await writer.drain()
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            first = await http.post(f"{url}/a", {}, b"x")
            second = await http.post(f"{url}/a", {}, b"x")
    finally:
        await http.close()
    assert (first.status, first.retry_after) == (429, "120")
    assert (second.status, second.retry_after) == (410, None)  # not the previous answer's
    assert http.connections_opened == 1  # the chunked body was read to its end


async def test_connection_close_and_a_server_that_hung_up_are_not_reused() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            for _ in range(3):
                assert (await http.post(f"{url}/a", {}, b"x")).status == 201
                await asyncio.sleep(0.05)  # the close reaches us
    finally:
        await http.close()
    assert http.connections_opened == 3


async def test_a_server_that_never_answers_times_out_and_loses_its_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await _read_request(reader) is not None:
            await asyncio.sleep(30)

    http = PushHTTP(None, timeout_s=0.2)
    try:
        async with raw_server(handler) as url:
            with pytest.raises(TimeoutError):
                await http.post(f"{url}/a", {}, b"x")
            with pytest.raises(TimeoutError):
                await http.post(f"{url}/a", {}, b"x")
    finally:
        await http.close()
    assert http.connections_opened == 2  # the stalled connection was never reused


async def test_nonsense_or_an_early_hang_up_is_a_connection_error() -> None:
    async def nonsense(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"SMTP ready\r\n\r\n")
        await writer.drain()

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        for handler in (nonsense, hang_up):
            async with raw_server(handler) as url:
                with pytest.raises(PushHTTPError):
                    await http.post(f"{url}/a", {}, b"x")
        with pytest.raises(ValueError, match="line break"):
            await http.post(f"{url}/a", {"Topic": "a\r\nX-Injected: 1"}, b"x")
    finally:
        await http.close()
    assert issubclass(PushHTTPError, OSError)  # the sender turns OSError into a retry


async def test_tls_is_verified(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await _read_request(reader) is not None:
            writer.write(CREATED)
        writer.close()

    trusting = PushHTTP(client_context(cert), timeout_s=5)
    default = PushHTTP(None, timeout_s=5)  # the system's trust store: not our throw-away CA
    try:
        async with raw_server(handler, server_context) as url:
            assert (await trusting.post(f"{url}/a", {}, b"x")).status == 201
            assert (await trusting.post(f"{url}/a", {}, b"x")).status == 201
            with pytest.raises(ssl.SSLCertVerificationError):
                await default.post(f"{url}/a", {}, b"x")
    finally:
        await trusting.close()
        await default.close()
    assert trusting.connections_opened == 1


def test_endpoints_parse_to_origin_pool_and_request_target() -> None:
    plain = parse_endpoint("https://push.example.net/wpush/v2/gAAA-b_c~d%3D?x=1")
    assert plain.origin == "https://push.example.net"  # VAPID aud: no path, no userinfo
    assert plain.key == ("https", "push.example.net", 443)
    assert (plain.host_header, plain.target) == ("push.example.net", "/wpush/v2/gAAA-b_c~d%3D?x=1")
    odd = parse_endpoint("http://u@[::1]:8080/a b/ä")
    assert (odd.origin, odd.key, odd.secure) == ("http://[::1]:8080", ("http", "::1", 8080), False)
    assert (odd.host_header, odd.target) == ("[::1]:8080", "/a%20b/%C3%A4")
    for bad in ("ftp://x/y", "https:///nohost", "https://x:99999/"):
        with pytest.raises(PushHTTPError):
            parse_endpoint(bad)
