"""How long a registry call may take: a deadline carried with the call, enforced by the client.

Whoever knows the budget (the product's registry read policy, `backend/lib/registry_read.py`)
sets the deadline around its calls with `within(at)`; `SourceHttp` ends the call at that
instant itself and reports it as a `timeout`. That is the point of carrying it instead of
wrapping the call in `asyncio.timeout`: a call cancelled from outside says nothing about the
registry, so the circuit breaker would never learn that a hung registry keeps failing, and
every page would wait out its budget again.

The deadline is in the event loop's clock (`loop.time()`, as `asyncio.timeout_at`). It is a
context variable, so it follows the calls into the tasks they start (a source's parts) without
threading it through every client method; nested scopes keep the earlier deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_DEADLINE: ContextVar[float | None] = ContextVar("registry_deadline", default=None)


@contextmanager
def within(deadline: float) -> Iterator[None]:
    """Registry calls made inside end by `deadline` (loop time), or by an earlier one already
    in force."""
    earlier = _DEADLINE.get()
    token = _DEADLINE.set(deadline if earlier is None else min(earlier, deadline))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current() -> float | None:
    """The deadline in force for registry calls made here, if any."""
    return _DEADLINE.get()
