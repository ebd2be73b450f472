"""Web Push: RFC 8291 aes128gcm encryption (ece.py) and VAPID (RFC 8292), posted over pooled
keep-alive connections (pushhttp.py).

pywebpush did the encryption and the POST until the engine was profiled under
`vienuviet bench push`: per message it built a `WebPusher` (a deepcopy of the subscription),
went through http_ece's general-purpose key handling and read every response as text —
~320 µs of CPU before the request, of which the cryptography proper is ~140. ece.py does
exactly that cryptography (a fresh key pair and salt per message) and we post the body
ourselves; py_vapid (pywebpush's) still signs the VAPID tokens.

The pywebpush traps, still handled here because pywebpush's rules are the push services':
- Never hand a signer a claims dict twice (pywebpush's `webpush()` mutates it: the first
  `aud` sticks and every other push service answers 403). Each signature gets a fresh dict
  with this origin's `aud`, and the resulting Authorization header is cached per
  push-service origin for 11 hours (tokens live 12, push services accept up to 24).
- Always send a timeout and a TTL (pywebpush's defaults: none and 0).
- Urgency and Topic are headers.
- Pool connections: one TLS handshake per connection, not per message (measured on
  loopback: httpx ~250 requests/s, aiohttp ~3,000; pushhttp.py needs about half of
  aiohttp's CPU per request).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from backend.lib.errors import BadInput
from backend.notifications.channels import ece
from backend.notifications.channels.pushhttp import (
    Endpoint,
    PushHTTP,
    PushHTTPError,
    parse_endpoint,
)
from backend.notifications.channels.pushpolicy import ForbiddenAddress, PushPolicy
from backend.notifications.engine.backoff import retry_after_seconds
from backend.settings import PushSettings

log = logging.getLogger("vienuviet.notifications")

VAPID_TOKEN_S = 12 * 3600
VAPID_REUSE_S = 11 * 3600
"""A cached header is replaced an hour before its token expires (always < 24 h)."""
URGENCIES = ("very-low", "low", "normal", "high")


class InvalidSubscription(BadInput):
    code = "invalid_subscription"


@dataclass(frozen=True)
class Target:
    """One subscription, as the sender needs it."""

    id: object
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class PushResult:
    outcome: str
    """delivered | gone | retry | failed"""
    status: int | None = None
    retry_after_s: float | None = None
    error_class: str | None = None
    duration_ms: int = 0


def _b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


NOT_A_PUSH_SERVICE = "The push endpoint must belong to a browser's push service."
"""One answer for every endpoint refused by where it points: which check said no, or what
a name resolves to, is the operator's business, not the caller's."""
REGISTRATION_RESOLVE_S = 2.0
"""How long storing a subscription waits for its name to resolve (then the send decides)."""


async def validate_subscription(
    endpoint: str, p256dh: str, auth: str, *, policy: PushPolicy
) -> str:
    """The endpoint as it is stored (host canonical), or InvalidSubscription with a clear
    reason for anything a push service would not accept or that would make us post
    somewhere we must not (see pushpolicy)."""
    if len(endpoint) > 2048:
        raise InvalidSubscription("The push endpoint is too long.")
    try:
        scheme = urlsplit(endpoint).scheme
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme = ""
    if scheme not in {"https", "http"}:
        raise InvalidSubscription("The push endpoint must be an https:// URL.")
    try:
        parsed = parse_endpoint(endpoint)
    except PushHTTPError:
        raise InvalidSubscription(NOT_A_PUSH_SERVICE) from None
    permit = policy.permit(*parsed.key)
    if permit is None and scheme == "http":
        raise InvalidSubscription(
            "The push endpoint must use https:// (http:// is refused).", code="insecure_endpoint"
        )
    if permit is None:
        raise InvalidSubscription(NOT_A_PUSH_SERVICE)
    _check_keys(p256dh, auth)
    _, host, port = parsed.key
    try:
        await asyncio.wait_for(policy.addresses(host, port, permit), REGISTRATION_RESOLVE_S)
    except ForbiddenAddress:
        raise InvalidSubscription(NOT_A_PUSH_SERVICE) from None
    except OSError:
        # Not resolvable right now (TimeoutError included): a browser was just handed this
        # endpoint by its push service, so DNS is the one failing. Every send checks again.
        pass
    return parsed.url


def _check_keys(p256dh: str, auth: str) -> None:
    try:
        key = _b64decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
        if len(key) != 65:
            raise ValueError("not an uncompressed point")
    except (ValueError, TypeError):
        raise InvalidSubscription("The subscription key (p256dh) is not a P-256 key.") from None
    try:
        secret = _b64decode(auth)
    except ValueError:
        secret = b""
    if len(secret) != 16:
        raise InvalidSubscription("The subscription auth secret must be 16 bytes.")


def topic_for(*parts: str) -> str:
    """A Topic header value (<= 32 base64url characters): later notices with the same topic
    replace an undelivered earlier one on the push service."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:32]


class PushSender:
    """Sends one encrypted message to one subscription. Owns the pooled HTTP session."""

    def __init__(
        self,
        settings: PushSettings,
        vapid: Vapid02,
        *,
        policy: PushPolicy,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = settings
        self.ssl_context = ssl_context
        """None: the system's trust store (a benchmark passes its own CA)."""
        self.vapid = vapid
        self.policy = policy
        self._http: PushHTTP | None = None
        self._slots: asyncio.Semaphore | None = None
        self._headers: dict[str, tuple[str, float]] = {}
        self.signatures = 0
        """How many VAPID tokens were signed (tests check the cache works)."""

    @property
    def http(self) -> PushHTTP:
        if self._http is None:
            self._http = PushHTTP(
                self.ssl_context, timeout_s=self.settings.timeout_s, resolve=self.policy.resolve
            )
        return self._http

    def authorization(self, endpoint: str | Endpoint) -> str:
        """The VAPID Authorization header for the endpoint's push service, cached < 24 h."""
        if isinstance(endpoint, str):
            parts = urlsplit(endpoint)
            origin = f"{parts.scheme}://{parts.netloc}"
        else:
            origin = endpoint.origin
        cached = self._headers.get(origin)
        now = time.time()
        if cached is not None and cached[1] > now:
            return cached[0]
        claims = {  # a fresh dict for every signature: never one pywebpush has seen
            "sub": self.settings.vapid_subject,
            "aud": origin,
            "exp": int(now) + VAPID_TOKEN_S,
        }
        header = str(self.vapid.sign(claims)["Authorization"])
        self.signatures += 1
        self._headers[origin] = (header, now + VAPID_REUSE_S)
        return header

    async def send(
        self, target: Target, payload: bytes, *, ttl: int, urgency: str, topic: str | None
    ) -> PushResult:
        """Never raises (cancellation aside): whatever goes wrong with one subscription is
        that subscription's result, so it cannot take the other messages of a batch along."""
        started = time.perf_counter()
        try:
            return await self._send(target, payload, ttl=ttl, urgency=urgency, topic=topic)
        except Exception as exc:  # a bug or a row no check foresaw: this message fails alone
            log.error("push to device %s failed: %s", target.id, type(exc).__name__)
            return PushResult("failed", error_class=type(exc).__name__, duration_ms=_ms(started))

    async def _send(
        self, target: Target, payload: bytes, *, ttl: int, urgency: str, topic: str | None
    ) -> PushResult:
        started = time.perf_counter()
        try:
            endpoint = parse_endpoint(target.endpoint)
            body = ece.encrypt(payload, _b64decode(target.p256dh), _b64decode(target.auth))
        except PushHTTPError:  # checked when stored; a row from before must not stop a batch
            return PushResult("failed", error_class="InvalidEndpoint")
        except ValueError:
            return PushResult("failed", error_class="InvalidSubscription")
        permit = self.policy.permit(*endpoint.key)
        if permit is None:  # stored under another PUSH_ALLOWED_ORIGINS (or in development)
            return PushResult("failed", error_class="EndpointNotAllowed")
        headers = {
            "Authorization": self.authorization(endpoint),
            "TTL": str(ttl),
            "Urgency": urgency if urgency in URGENCIES else "normal",
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        if topic:
            headers["Topic"] = topic
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.concurrency)
        try:
            async with self._slots:  # at most PUSH_CONCURRENCY requests in flight
                answer = await self.http.post(endpoint, headers, body, permit)
        except OSError as exc:  # incl. TimeoutError, ForbiddenAddress, every connection failure
            return PushResult("retry", error_class=type(exc).__name__, duration_ms=_ms(started))
        return _result(answer.status, answer.retry_after, _ms(started))

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _result(status: int, retry_after: str | None, duration: int) -> PushResult:
    """What a push service's status means for the message (RFC 8030 §5, §8.4)."""
    if status in (200, 201, 202):
        return PushResult("delivered", status, duration_ms=duration)
    if status in (404, 410):
        return PushResult("gone", status, error_class=f"HTTP{status}", duration_ms=duration)
    if status == 429 or status >= 500:
        return PushResult(
            "retry",
            status,
            retry_after_seconds(retry_after),
            error_class=f"HTTP{status}",
            duration_ms=duration,
        )
    return PushResult("failed", status, error_class=f"HTTP{status}", duration_ms=duration)
