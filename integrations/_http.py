"""The shared httpx client factory for the state registries.

One `SourceHttp` per registry: a pooled `AsyncOAuth2Client` (Authlib, client credentials) with
explicit connect/read/write/pool timeouts and connection limits, retries with exponential
backoff and full jitter for reads (GET) only, and a circuit breaker. Every failure leaves as
`RegistryError(source, reason)`; nothing here logs a URL (URLs hold personal codes) or a payload.

The token is fetched on first use, cached until `token_leeway_s` before it expires, and fetched
again once when the registry answers 401 anyway. Token requests (POST) are never retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from backend.settings import RegistrySettings
from integrations._authlib import AsyncOAuth2Client, AuthlibBaseError
from integrations._breaker import CircuitBreaker
from integrations.errors import MalformedPayload, Reason, RegistryError

T = TypeVar("T")
log = logging.getLogger("vienuviet.integrations")

RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
BREAKER_REASONS: frozenset[Reason] = frozenset({"timeout", "connect", "malformed"})
TOKEN_PATH = "/oauth/token"  # noqa: S105 - a path, not a secret


class _Retryable(Exception):
    """An attempt failed in a way a repeated GET may cure (timeout, transport, 5xx)."""

    def __init__(self, error: RegistryError) -> None:
        super().__init__(str(error))
        self.error = error


def backoff_delay(attempt: int, base_s: float, max_s: float) -> float:
    """Full jitter: uniform in [0, min(max, base * 2**attempt)] (AWS architecture blog)."""
    return random.uniform(0, min(max_s, base_s * 2**attempt))  # noqa: S311 - jitter, not crypto


def counts_against_source(error: RegistryError) -> bool:
    """Does this failure say the source is unhealthy (and so feed its circuit breaker)?"""
    if error.reason in BREAKER_REASONS:
        return True
    return error.reason == "http_status" and (error.status or 0) >= 500


class SourceHttp:
    """HTTP access to one registry, shared by every request of the process (pooled)."""

    def __init__(
        self,
        source: str,
        settings: RegistrySettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.source = source
        self.settings = settings
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failures,
            cooldown_s=settings.breaker_cooldown_s,
            clock=clock,
        )
        self._token_url = settings.url + TOKEN_PATH
        self._token_lock = asyncio.Lock()
        self.oauth = AsyncOAuth2Client(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            token_endpoint_auth_method=settings.token_auth_method,
            scope=source,
            leeway=settings.token_leeway_s,
            token_endpoint=self._token_url,
            grant_type="client_credentials",
            base_url=settings.url,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout_s,
                read=settings.read_timeout_s,
                write=settings.write_timeout_s,
                pool=settings.pool_timeout_s,
            ),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_keepalive,
            ),
            headers={"Accept": "application/json", "User-Agent": "vienuviet-registry-client"},
            follow_redirects=False,
            trust_env=False,
            verify=tls or ssl.create_default_context(),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self.oauth.aclose()

    async def get(self, path: str, parse: Callable[[object], T]) -> T | None:
        """GET `path` and parse its JSON with `parse`; None when the registry answers 404
        `not_found` (it holds no such record). Raises `RegistryError`."""
        if not self.breaker.try_acquire():
            raise RegistryError(self.source, "circuit_open")
        try:
            result = await self._get_with_retries(path, parse)
        except RegistryError as error:
            if counts_against_source(error):
                self.breaker.record_failure()
            else:
                self.breaker.record_success()  # it answered: refusing us is not being down
            log.info("registry call failed: source=%s reason=%s", self.source, error.reason)
            raise
        except BaseException:  # cancelled by the caller's deadline: no verdict on the source
            self.breaker.release()
            raise
        self.breaker.record_success()
        return result

    async def _get_with_retries(self, path: str, parse: Callable[[object], T]) -> T | None:
        attempt = 0
        while True:
            try:
                return await self._attempt(path, parse)
            except _Retryable as failed:
                if attempt >= self.settings.retries:
                    raise failed.error from None
            await asyncio.sleep(
                backoff_delay(attempt, self.settings.backoff_base_s, self.settings.backoff_max_s)
            )
            attempt += 1

    async def _attempt(self, path: str, parse: Callable[[object], T]) -> T | None:
        access_token = await self._current_token()
        response = await self._send(path)
        if response.status_code == 401:
            # Our clock said the token was fine; the registry disagrees (revoked, clock skew,
            # key rotated). Fetch a new one once, then believe the registry.
            await self._refetch_token(access_token)
            response = await self._send(path)
        return self._interpret(response, parse)

    async def _send(self, path: str) -> httpx.Response:
        try:
            response: httpx.Response = await self.oauth.get(path)
        except httpx.TimeoutException:
            raise _Retryable(RegistryError(self.source, "timeout")) from None
        except httpx.TransportError:
            raise _Retryable(RegistryError(self.source, "connect")) from None
        except AuthlibBaseError:
            raise RegistryError(self.source, "unauthorized") from None
        return response

    def _interpret(self, response: httpx.Response, parse: Callable[[object], T]) -> T | None:
        status = response.status_code
        if status == 200:
            return self._parse(response, parse)
        if status == 404 and _is_not_found(response):
            return None
        if status in (401, 403):
            raise RegistryError(self.source, "unauthorized", status=status)
        error = RegistryError(self.source, "http_status", status=status)
        if status in RETRYABLE_STATUS:
            raise _Retryable(error)
        raise error

    def _parse(self, response: httpx.Response, parse: Callable[[object], T]) -> T:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise RegistryError(self.source, "malformed", status=200, detail="not JSON")
        try:
            data = json.loads(response.content)
        except (ValueError, RecursionError):  # truncated or broken JSON; never repeated
            raise RegistryError(self.source, "malformed", status=200, detail="bad JSON") from None
        try:
            return parse(data)
        except MalformedPayload as problem:
            raise RegistryError(self.source, "malformed", status=200, detail=str(problem)) from None
        except (ValueError, TypeError, KeyError, RecursionError):
            # Not a contract violation a reader foresaw; still the registry's answer, not ours
            # to crash on. The exception text may quote the payload, so it is not kept.
            detail = "unparseable"
            raise RegistryError(self.source, "malformed", status=200, detail=detail) from None

    # --- tokens -------------------------------------------------------------------------

    async def _current_token(self) -> str:
        async with self._token_lock:
            token = self.oauth.token
            if not token or token.is_expired(leeway=self.settings.token_leeway_s):
                await self._fetch_token()
            return str(self.oauth.token["access_token"])

    async def _refetch_token(self, stale: str) -> None:
        async with self._token_lock:
            current = self.oauth.token
            # Several requests may come back 401 at once: only the first fetches.
            if not current or current.get("access_token") == stale:
                await self._fetch_token()

    async def _fetch_token(self) -> None:
        try:
            await self.oauth.fetch_token(self._token_url, grant_type="client_credentials")
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            reason: Reason = "unauthorized" if status in (400, 401, 403) else "http_status"
            raise RegistryError(self.source, reason, status=status, detail="token") from None
        except httpx.TimeoutException:
            raise RegistryError(self.source, "timeout", detail="token") from None
        except httpx.TransportError:
            raise RegistryError(self.source, "connect", detail="token") from None
        except AuthlibBaseError:  # an OAuth error answer: invalid_client, invalid_scope, …
            raise RegistryError(self.source, "unauthorized", detail="token") from None
        except (ValueError, TypeError):
            raise RegistryError(self.source, "malformed", detail="token") from None
        token: dict[str, Any] = dict(self.oauth.token or {})
        valid = (
            isinstance(token.get("access_token"), str)
            and bool(token["access_token"])
            and str(token.get("token_type", "")).lower() == "bearer"
            and isinstance(token.get("expires_in"), int)
        )
        if not valid:
            self.oauth.token = None
            raise RegistryError(self.source, "malformed", detail="token")


def _is_not_found(response: httpx.Response) -> bool:
    """A registry's "no such record" (problem JSON with code `not_found`), as opposed to a 404
    from a misrouted URL, which is a configuration error and reported as `http_status`."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") == "not_found"
