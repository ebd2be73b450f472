"""The one policy for reading a state registry on behalf of a request or a job.

Every registry read the product makes — the dashboard's sources (`backend/dashboard/loader.py`,
also behind the obligation rules) and the company roles that authorization needs
(`backend/auth/representations.py`) — goes through `read_through`:

1. **Fresh**: a kept answer younger than its TTL is served without asking.
2. **Deadline**: otherwise the registry is asked, ending by `started + budget_s`. `started` is
   the start of the HTTP request (`request_scope`, opened for every request by the web layer),
   so all the registry reads of one page share one clock: a page waits for the registries at
   most its longest budget, however many reads, GraphQL documents and hooks it runs. Outside a
   request (jobs) it is the moment of the read. The client enforces the deadline itself
   (`integrations/registries/deadline.py`), so a read cut short is a `timeout` its circuit
   breaker counts.
3. **Breaker**: the registry's circuit breaker (`integrations/registries/_breaker.py`) refuses
   at once while the source is known to be down (`circuit_open`), and lets one trial through
   after the cooldown.
4. **Last known**: a failure serves the last kept answer, marked stale with its as-of time, or
   nothing (unavailable), with the failure's reason.

Callers keep the answer themselves (`Read.fetched`), each in its own store and shape.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Literal, TypeVar

from backend.lib.time import utcnow
from integrations.registries import deadline
from integrations.registries.errors import RegistryError

T = TypeVar("T")
Status = Literal["ok", "stale", "unavailable"]

_REQUEST_STARTED: ContextVar[float | None] = ContextVar("request_started", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Registry budgets of reads made inside count from now (the start of the request)."""
    token = _REQUEST_STARTED.set(asyncio.get_running_loop().time())
    try:
        yield
    finally:
        _REQUEST_STARTED.reset(token)


def request_started() -> float:
    """When the current request started (loop time); now when there is none (a job)."""
    started = _REQUEST_STARTED.get()
    return asyncio.get_running_loop().time() if started is None else started


@dataclass(frozen=True)
class Known(Generic[T]):
    """An answer a registry gave, and when."""

    value: T
    fetched_at: datetime


@dataclass(frozen=True)
class Read(Generic[T]):
    """What a read gives: `known` is the answer to show (fresh, kept or last known)."""

    status: Status
    known: Known[T] | None
    reason: str | None = None
    """Why the registry gave no answer: a `RegistryError` reason (`timeout`, `circuit_open`…)."""
    fetched: bool = False
    """The registry answered just now: the caller keeps `known` for next time."""

    @property
    def asked(self) -> bool:
        """A request went to the registry (an open circuit sends nothing)."""
        return self.fetched or (self.reason is not None and self.reason != "circuit_open")


async def read_through(
    fetch: Callable[[], Awaitable[T]],
    known: Known[T] | None,
    *,
    ttl_s: float,
    budget_s: float,
    started: float | None = None,
    force: bool = False,
    clock: Callable[[], datetime] = utcnow,
) -> Read[T]:
    """Serve `known` while fresh (unless `force`), else ask the registry with `fetch` by
    `started` (default: the request's start) + `budget_s`; on a `RegistryError`, serve `known`
    as stale, or nothing. Other exceptions (bugs) propagate. `clock` decides freshness and
    stamps a new answer (tests move it instead of sleeping past a TTL)."""
    if known is not None and not force and clock() - known.fetched_at < timedelta(seconds=ttl_s):
        return Read("ok", known)
    begin = request_started() if started is None else started
    try:
        with deadline.within(begin + budget_s):
            value = await fetch()
    except RegistryError as error:
        return Read("stale" if known is not None else "unavailable", known, error.reason)
    return Read("ok", Known(value, clock()), fetched=True)
