"""The HTTP/1.1 client Web Push needs, and nothing more: POST a small body, read the status and
Retry-After, keep the connection for the next message.

Why not aiohttp (used until profiling said otherwise): under `vienuviet bench push` its
general machinery — URL objects, header multidicts, cookie jar, tracing, redirects, a
response object with a stream, a timer context per request — cost ~250 µs of CPU per
message in a sender-only loop, more than the encryption (this client: ~140 µs, sockets and
TLS included). A push request is always the same shape (one
POST, a few headers, a body under 4 KB, an answer with no body that matters), so this client
writes it in one `transport.write` and parses the answer with httptools (llhttp in C, the
parser uvicorn uses; installed with uvicorn[standard]).

What it does: one pool of keep-alive connections per push-service origin (TLS verified
against the given context, with SNI), one request at a time per connection, a deadline over
resolve + connect + send + answer, and a connection that is closed, timed out, answered
"Connection: close" or sent anything unexpected is never reused. A new connection goes to an
address `pushpolicy` checked (the name is resolved once, here, and that address is connected
to). Errors are OSError subclasses (ConnectionError, TimeoutError) so callers treat every
transport failure alike.

Answers (RFC 9112): interim `1xx` answers are skipped, the final one counts. The final
answer's status is known once its head has arrived; how its body ends — Content-Length,
chunked, or the server closing the connection (no length) — only decides whether the
connection can carry the next push. A request that was answered is never reported as a
failure, so the sender never posts a delivered message again.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
from dataclasses import dataclass
from typing import cast
from urllib.parse import quote, urlsplit

import httptools

from backend.notifications.channels.pushpolicy import (
    Permit,
    Resolve,
    allowed_addresses,
    canonical_host,
    system_resolve,
)

IDLE_S = 15.0
"""A pooled connection unused this long is closed rather than reused: servers drop idle
keep-alive connections (uvicorn after 5 s, nginx 75 s), and a request written into one the
server is closing at that moment fails. Reopening costs one TLS handshake."""
SWEEP_S = 0.25
"""How often in-flight requests are checked against their deadline."""
_SAFE_PATH = "/%:@!$&'()*+,;=-._~?"


class PushHTTPError(ConnectionError):
    """The push service's connection failed or answered something that is not HTTP."""


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None


@dataclass(frozen=True)
class Endpoint:
    """A push endpoint URL, parsed once per message for both VAPID and the request."""

    origin: str
    """scheme://host[:port] (the port only when not the scheme's default), the VAPID `aud`."""
    key: tuple[str, str, int]
    """(scheme, host, port): the connection pool; the host canonical (see pushpolicy)."""
    secure: bool
    host_header: str
    target: str
    """The request target: path and query, percent-encoded where they needed it."""

    @property
    def url(self) -> str:
        """The endpoint written canonically: what is stored for a subscription."""
        return self.origin + self.target


_PLAIN_TARGET = re.compile(r"[A-Za-z0-9/%:@!$&'()*+,;=\-._~?]*")


def parse_endpoint(url: str) -> Endpoint:
    """Raises PushHTTPError for anything that is not an http(s) URL with a host written the
    one way it can be read: a name is IDNA-encoded (`пример.рф` → `xn--e1afmkfd.xn--p1ai`),
    other spellings of an IP address than the standard one are refused."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        if hostname is None or parts.scheme not in ("https", "http"):
            raise PushHTTPError("not an http(s) URL")
        secure = parts.scheme == "https"
        default = 443 if secure else 80
        port = parts.port or default
        host = canonical_host(hostname)
    except ValueError:  # a bad port, an unreadable host
        raise PushHTTPError("not a push endpoint URL") from None
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    if not _PLAIN_TARGET.fullmatch(target):  # push services' URLs are; quote what is not
        target = quote(target, safe=_SAFE_PATH)
    netloc = (f"[{host}]" if ":" in host else host) + ("" if port == default else f":{port}")
    return Endpoint(
        f"{parts.scheme}://{netloc}", (parts.scheme, host, port), secure, netloc, target
    )


class _Connection(asyncio.Protocol):
    """One keep-alive connection; `request` sends one message and waits for the answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Answer] | None = None
        self.retry_after: str | None = None
        self.answer: Answer | None = None
        """The final answer, once its head has arrived (its body may still be coming)."""
        self.closed = False
        self.idle_since = 0.0
        self.deadline = 0.0
        """time.monotonic() by which the current request must be answered."""

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        if self.waiter is None or self.waiter.done():  # nothing asked: not a server we trust
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._fail(PushHTTPError(f"not an HTTP answer: {type(exc).__name__}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(PushHTTPError("the push service closed the connection"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"retry-after":
            self.retry_after = value.decode("latin-1").strip()

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:
            # Interim (100 Continue, 103 Early Hints; 101 makes the parser stop): the final
            # answer follows. Nothing in an interim answer's head belongs to it.
            self.retry_after = None
            return
        self.answer = Answer(status, self.retry_after)

    def on_message_complete(self) -> None:
        if self.answer is None:  # an interim answer ended
            return
        if not self.parser.should_keep_alive():
            self.close()
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(self.answer)

    # ours
    def _fail(self, exc: Exception) -> None:
        """The connection is done for. A request already answered keeps its answer: the
        push service took (or refused) the message; only the rest of the body went astray,
        or it ended by closing the connection, as an answer without a length does."""
        self.close()
        if self.waiter is not None and not self.waiter.done():
            if self.answer is not None:
                self.waiter.set_result(self.answer)
            else:
                self.waiter.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def request(self, message: bytes, deadline: float) -> Answer:
        assert self.transport is not None
        self.deadline = deadline
        self.retry_after = None
        self.answer = None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(message)
        try:
            return await self.waiter
        finally:
            self.waiter = None


class PushHTTP:
    """Pools per origin. `post` raises OSError (incl. TimeoutError) for transport failures;
    any HTTP status, 5xx included, is an answer."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext | None,
        *,
        timeout_s: float,
        resolve: Resolve = system_resolve,
    ) -> None:
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.timeout_s = timeout_s
        self.resolve = resolve
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._open: set[_Connection] = set()
        self._busy: set[_Connection] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self.connections_opened = 0
        """How many connections were made (tests check keep-alive works)."""

    async def post(
        self, url: str | Endpoint, headers: dict[str, str], body: bytes, permit: Permit
    ) -> Answer:
        """POST `body`; `permit` (from PushPolicy) says which addresses a new connection may
        go to (ForbiddenAddress, an OSError, when the name resolves elsewhere)."""
        endpoint = url if isinstance(url, Endpoint) else parse_endpoint(url)
        lines = [f"POST {endpoint.target} HTTP/1.1", f"Host: {endpoint.host_header}"]
        for name, value in headers.items():
            if "\r" in value or "\n" in value:
                raise ValueError(f"header {name} has a line break")
            lines.append(f"{name}: {value}")
        lines.append(f"Content-Length: {len(body)}\r\n\r\n")
        message = "\r\n".join(lines).encode("latin-1") + body
        key = endpoint.key
        deadline = time.monotonic() + self.timeout_s
        connection = await self._connection(key, endpoint.secure, permit, deadline)
        # Deadlines are enforced by one sweeper per client rather than a timer per request
        # (asyncio.timeout() per request was ~4% of the engine's CPU in py-spy).
        self._busy.add(connection)
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())
        try:
            answer = await connection.request(message, deadline)
        except BaseException:  # timeout or cancel mid-request: the stream is in between
            connection.close()
            self._open.discard(connection)
            raise
        finally:
            self._busy.discard(connection)
        self._release(key, connection)
        return answer

    async def _sweep(self) -> None:
        """Fail requests past their deadline (at most SWEEP_S late); ends when none is
        in flight, and the next request starts it again."""
        try:
            while self._busy:
                await asyncio.sleep(SWEEP_S)
                now = time.monotonic()
                for connection in [c for c in self._busy if c.deadline <= now]:
                    connection._fail(TimeoutError("the push service did not answer in time"))
        finally:
            self._sweeper = None

    async def _connection(
        self, key: tuple[str, str, int], secure: bool, permit: Permit, deadline: float
    ) -> _Connection:
        idle = self._idle.get(key)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            usable = not connection.closed and now - connection.idle_since < IDLE_S
            if usable and connection.transport and not connection.transport.is_closing():
                return connection
            connection.close()
            self._open.discard(connection)
        _, host, port = key
        addresses = await asyncio.wait_for(
            allowed_addresses(host, port, permit, self.resolve), max(0.0, deadline - now)
        )
        loop = asyncio.get_running_loop()
        failure: OSError = PushHTTPError("no address to connect to")
        for address in addresses:  # the checked addresses, never the name again
            try:
                _, protocol = await asyncio.wait_for(
                    loop.create_connection(
                        _Connection,
                        address,
                        port,
                        ssl=self.ssl_context if secure else None,
                        server_hostname=host if secure else None,  # the name: SNI, certificate
                    ),
                    max(0.0, deadline - time.monotonic()),
                )
            except OSError as exc:  # TimeoutError included
                failure = exc
                continue
            self.connections_opened += 1
            self._open.add(protocol)
            return protocol
        raise failure

    def _release(self, key: tuple[str, str, int], connection: _Connection) -> None:
        if connection.closed:
            self._open.discard(connection)
            return
        connection.idle_since = time.monotonic()
        self._idle.setdefault(key, []).append(connection)

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        for connection in list(self._open):
            connection.close()
        self._open.clear()
        self._idle.clear()
        await asyncio.sleep(0)  # let the transports run their close callbacks
