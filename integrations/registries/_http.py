"""The shared httpx client factory for the state registries.

One `SourceHttp` per registry: a pooled `AsyncOAuth2Client` (Authlib, client credentials) with
explicit connect/read/write/pool timeouts and connection limits, retries with exponential
backoff and full jitter for reads (GET) only, the caller's deadline (`deadline.py`) and a
circuit breaker (`_breaker.py`) whose half-open trial runs in a task of its own. Every
failure leaves as `RegistryError(source, reason)`; nothing here logs a URL (URLs hold personal
codes) or a payload.

The token is fetched on first use, cached until `token_leeway_s` before it expires, and fetched
again once when the registry answers 401 anyway. Token requests (POST) are never retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from backend.lib.backoff import backoff_delay_s
from backend.settings import RegistrySettings
from integrations._authlib import AsyncOAuth2Client, AuthlibBaseError
from integrations.registries._breaker import CircuitBreaker, Permit
from integrations.registries.deadline import current as current_deadline
from integrations.registries.errors import MalformedPayload, Reason, RegistryError

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
    """Before retry `attempt` (0 = the first retry): uniform in [0, min(max, base * 2**attempt)]
    (full jitter, `backend.lib.backoff`): the page is waiting, so no floor."""
    return backoff_delay_s(attempt + 1, base_s=base_s, cap_s=max_s, jitter="full")


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
        self._trial: asyncio.Task[Any] | None = None
        """The half-open trial in flight, which callers arriving meanwhile wait for."""
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
        trial = self._trial
        if trial is not None:
            trial.cancel()
            await asyncio.gather(trial, return_exceptions=True)
        await self.oauth.aclose()

    async def get(self, path: str, parse: Callable[[bytes], T]) -> T | None:
        """GET `path` and decode its JSON body with `parse`; None when the registry answers 404
        `not_found` (it holds no such record). Raises `RegistryError`.

        The call ends by the deadline in force (`integrations.registries.deadline`), if any,
        with reason `timeout`, which the breaker counts like any other timeout. While the
        circuit is open it raises `circuit_open` at once; while its half-open trial is in
        flight it waits for the trial's verdict (until the deadline) and then goes ahead or is
        refused."""
        deadline = current_deadline()
        loop = asyncio.get_running_loop()
        while True:
            if deadline is not None and loop.time() >= deadline:
                # Nothing was sent, so nothing is said about the source.
                raise RegistryError(self.source, "timeout", detail="no time left")
            permit = self.breaker.admit()
            if permit is Permit.CALL:
                return await self._call(path, parse, deadline, trial=False)
            if permit is Permit.TRIAL:
                return await self._trial_call(path, parse, deadline)
            if permit is Permit.REFUSED:
                raise RegistryError(self.source, "circuit_open")
            await self._await_verdict(deadline)

    async def _trial_call(
        self, path: str, parse: Callable[[bytes], T], deadline: float | None
    ) -> T | None:
        """Make the half-open trial in a task of its own: the caller may be cancelled (a
        sibling part failed, the page went away) but the trial runs to its verdict."""
        trial = asyncio.create_task(self._call(path, parse, deadline, trial=True))
        self._trial = trial
        trial.add_done_callback(self._trial_done)
        return await asyncio.shield(trial)

    def _trial_done(self, trial: asyncio.Task[Any]) -> None:
        if self._trial is trial:
            self._trial = None
        if not trial.cancelled():
            trial.exception()  # its caller may be gone; the verdict is already recorded

    async def _await_verdict(self, deadline: float | None) -> None:
        trial = self._trial
        if trial is None or trial.done():  # cannot happen: every trial ends with a verdict
            self.breaker.abandon_trial()
            return
        remaining = None if deadline is None else deadline - asyncio.get_running_loop().time()
        await asyncio.wait({trial}, timeout=remaining)
        if not trial.done():
            # Still not known to be back; this caller sent nothing and says nothing.
            raise RegistryError(self.source, "circuit_open")

    async def _call(
        self, path: str, parse: Callable[[bytes], T], deadline: float | None, *, trial: bool
    ) -> T | None:
        """One call (a trial makes one attempt, others retry) and its verdict for the breaker."""
        retries = 0 if trial else self.settings.retries
        try:
            if deadline is None:
                result = await self._get_with_retries(path, parse, retries)
            else:
                try:
                    async with asyncio.timeout_at(deadline):
                        result = await self._get_with_retries(path, parse, retries)
                except TimeoutError:
                    raise RegistryError(self.source, "timeout", detail="deadline") from None
        except RegistryError as error:
            if counts_against_source(error):
                self.breaker.record_failure(trial=trial)
            else:
                self.breaker.record_success(trial=trial)  # it answered: refusing is not being down
            log.info("registry call failed: source=%s reason=%s", self.source, error.reason)
            raise
        except BaseException:
            # Cancelled from outside (a sibling failed, the client is closing): no verdict on
            # the source. Only a trial holds the breaker's slot, and only at shut-down (or by a
            # bug) does one end here.
            if trial:
                self.breaker.abandon_trial()
            raise
        self.breaker.record_success(trial=trial)
        return result

    async def _get_with_retries(
        self, path: str, parse: Callable[[bytes], T], retries: int
    ) -> T | None:
        attempt = 0
        while True:
            try:
                return await self._attempt(path, parse)
            except _Retryable as failed:
                if attempt >= retries:
                    raise failed.error from None
            await asyncio.sleep(
                backoff_delay(attempt, self.settings.backoff_base_s, self.settings.backoff_max_s)
            )
            attempt += 1

    async def _attempt(self, path: str, parse: Callable[[bytes], T]) -> T | None:
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

    def _interpret(self, response: httpx.Response, parse: Callable[[bytes], T]) -> T | None:
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

    def _parse(self, response: httpx.Response, parse: Callable[[bytes], T]) -> T:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise RegistryError(self.source, "malformed", status=200, detail="not JSON")
        try:
            # `parse` decodes the bytes itself (integrations.registries.record): broken or
            # truncated JSON is a `MalformedPayload` like a missing field, never repeated.
            return parse(response.content)
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
