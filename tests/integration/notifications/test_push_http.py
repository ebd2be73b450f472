"""The push HTTP client (backend/notifications/channels/pushhttp.py) against real sockets on
loopback: keep-alive reuse, servers that close, stall or answer nonsense, and TLS that must
verify."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import pytest

from backend.notifications.channels.pushhttp import PushHTTP, PushHTTPError, parse_endpoint
from backend.notifications.channels.pushpolicy import ForbiddenAddress, Permit
from bench.push_tls import client_context, make_certificate
from tests.raw_http import Handler, raw_server, read_request

CREATED = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
LOCAL = Permit(loopback=True)
"""These servers listen on loopback, as a development PUSH_ALLOWED_ORIGINS would allow."""


async def test_one_connection_carries_many_pushes_and_the_request_is_what_was_asked() -> None:
    seen: list[tuple[bytes, bytes]] = []
    connections = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while (request := await read_request(reader)) is not None:
            seen.append(request)
            writer.write(CREATED)
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            for n in range(3):
                answer = await http.post(
                    f"{url}/push/abc?x=1", {"TTL": "60", "Topic": f"t{n}"}, b"\x00body", LOCAL
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
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n5\r\nslow!\r\n0\r\n\r\n"
        )
        await read_request(reader)
        writer.write(b"HTTP/1.1 410 Gone\r\nContent-Length: 4\r\n\r\ngone")
        await writer.drain()
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            first = await http.post(f"{url}/a", {}, b"x", LOCAL)
            second = await http.post(f"{url}/a", {}, b"x", LOCAL)
    finally:
        await http.close()
    assert (first.status, first.retry_after) == (429, "120")
    assert (second.status, second.retry_after) == (410, None)  # not the previous answer's
    assert http.connections_opened == 1  # the chunked body was read to its end


async def test_connection_close_and_a_server_that_hung_up_are_not_reused() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            for _ in range(3):
                assert (await http.post(f"{url}/a", {}, b"x", LOCAL)).status == 201
                await asyncio.sleep(0.05)  # the close reaches us
    finally:
        await http.close()
    assert http.connections_opened == 3


async def test_a_server_that_never_answers_times_out_and_loses_its_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await read_request(reader) is not None:
            await asyncio.sleep(30)

    http = PushHTTP(None, timeout_s=0.2)
    try:
        async with raw_server(handler) as url:
            with pytest.raises(TimeoutError):
                await http.post(f"{url}/a", {}, b"x", LOCAL)
            with pytest.raises(TimeoutError):
                await http.post(f"{url}/a", {}, b"x", LOCAL)
    finally:
        await http.close()
    assert http.connections_opened == 2  # the stalled connection was never reused


async def test_nonsense_or_an_early_hang_up_is_a_connection_error() -> None:
    async def nonsense(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SMTP ready\r\n\r\n")
        await writer.drain()

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    http = PushHTTP(None, timeout_s=5)
    try:
        for handler in (nonsense, hang_up):
            async with raw_server(handler) as url:
                with pytest.raises(PushHTTPError):
                    await http.post(f"{url}/a", {}, b"x", LOCAL)
        with pytest.raises(ValueError, match="line break"):
            await http.post(f"{url}/a", {"Topic": "a\r\nX-Injected: 1"}, b"x", LOCAL)
    finally:
        await http.close()
    assert issubclass(PushHTTPError, OSError)  # the sender turns OSError into a retry


async def test_tls_is_verified(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await read_request(reader) is not None:
            writer.write(CREATED)
        writer.close()

    trusting = PushHTTP(client_context(cert), timeout_s=5)
    default = PushHTTP(None, timeout_s=5)  # the system's trust store: not our throw-away CA
    try:
        async with raw_server(handler, server_context) as url:
            assert (await trusting.post(f"{url}/a", {}, b"x", LOCAL)).status == 201
            assert (await trusting.post(f"{url}/a", {}, b"x", LOCAL)).status == 201
            with pytest.raises(ssl.SSLCertVerificationError):
                await default.post(f"{url}/a", {}, b"x", LOCAL)
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
    # A host is written one way: IDNA for names (an IDN once stopped a whole batch with a
    # UnicodeEncodeError), the standard form for addresses, the default port left out.
    idn = parse_endpoint("https://Пример.РФ:443/push/x")
    assert (idn.origin, idn.host_header) == (
        "https://xn--e1afmkfd.xn--p1ai",
        "xn--e1afmkfd.xn--p1ai",
    )
    assert idn.url == "https://xn--e1afmkfd.xn--p1ai/push/x"
    assert parse_endpoint("https://[::FFFF:7F00:1]/x").key == ("https", "::ffff:7f00:1", 443)
    for bad in (
        "ftp://x/y",
        "https:///nohost",
        "https://x:99999/",
        "https://2130706433/x",
        "https://127.1/x",
        "https://0x7f.1:5432/x",
        "https://0177.0.0.1/x",
        "https://1.2.3.4.5/x",
        "https://a..b/x",
        "https://-a.example/x",
        "https://[fe80::1%25eth0]/x",
    ):
        with pytest.raises(PushHTTPError):
            parse_endpoint(bad)


async def test_a_new_connection_goes_to_the_address_that_was_checked() -> None:
    """The name is resolved once per connection, checked, and that address connected to (a
    second look-up by the socket layer could answer differently: DNS rebinding). Here the
    name exists only for our resolver: connecting by name would fail."""
    answers = [["127.0.0.1"], ["10.0.0.7"]]
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers.pop(0)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await read_request(reader) is not None:
            writer.write(b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()

    http = PushHTTP(None, timeout_s=5, resolve=resolve)
    try:
        async with raw_server(handler) as url:
            port = url.rsplit(":", 1)[1]
            endpoint = f"http://push.rebinding.test:{port}/a"
            assert (await http.post(endpoint, {}, b"x", LOCAL)).status == 201
            with pytest.raises(ForbiddenAddress):  # now it answers a private address
                await http.post(endpoint, {}, b"x", LOCAL)
    finally:
        await http.close()
    assert asked == ["push.rebinding.test"] * 2
    assert http.connections_opened == 1


async def test_interim_1xx_answers_are_skipped_and_the_final_answer_counts() -> None:
    """A push service may send `100 Continue` or `103 Early Hints` before its answer
    (RFC 9110 §15.2): the final status is the answer, and the connection stays in step."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.05)  # the interim answer arrives on its own
        writer.write(b"HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n")
        writer.write(b"HTTP/1.1 201 Created\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n")
        await read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 410 Gone\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        await read_request(reader)

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            first = await http.post(f"{url}/a", {}, b"x", LOCAL)
            second = await http.post(f"{url}/a", {}, b"x", LOCAL)
    finally:
        await http.close()
    assert (first.status, first.retry_after) == (201, "7")
    assert (second.status, second.retry_after) == (410, None)
    assert http.connections_opened == 1


def _answers_then_hangs_up(answer: bytes, requests: list[bytes]) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        assert request is not None
        requests.append(request[1])
        writer.write(answer)
        await writer.drain()
        writer.close()

    return handler


@pytest.mark.parametrize(
    "answer",
    [
        # No Content-Length, not chunked: the body ends when the connection does (RFC 9112 §6.3).
        b"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n\r\nqueued for delivery",
        b"HTTP/1.0 201 Created\r\n\r\n",
        # The answer's head arrived; the body was cut short. The push service did answer.
        b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nqueued",
        b"HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\nqueued",
    ],
    ids=["close-delimited", "http-1.0", "chunked-cut-short", "length-cut-short"],
)
async def test_an_answer_ended_by_the_connection_closing_is_an_answer(answer: bytes) -> None:
    requests: list[bytes] = []
    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(_answers_then_hangs_up(answer, requests)) as url:
            first = await http.post(f"{url}/a", {}, b"one", LOCAL)
            second = await http.post(f"{url}/a", {}, b"two", LOCAL)  # a new connection
    finally:
        await http.close()
    assert (first.status, second.status) == (201, 201)
    assert requests == [b"one", b"two"]
    assert http.connections_opened == 2


async def test_a_chunked_answer_in_pieces_is_read_to_its_end_and_the_connection_reused() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await read_request(reader) is not None:
            for piece in (
                b"HTTP/1.1 201 Cre",
                b"ated\r\nTransfer-Encoding: chunked\r\n\r\n",
                b"4\r\nque",
                b"u\r\n2\r\ned\r\n",
                b"0\r\n\r\n",
            ):
                writer.write(piece)
                await writer.drain()
                await asyncio.sleep(0.01)

    http = PushHTTP(None, timeout_s=5)
    try:
        async with raw_server(handler) as url:
            statuses = [(await http.post(f"{url}/a", {}, b"x", LOCAL)).status for _ in range(3)]
    finally:
        await http.close()
    assert statuses == [201, 201, 201]
    assert http.connections_opened == 1
