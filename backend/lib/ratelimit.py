"""Fixed-window rate limits on the shared counters (Redis or in-process)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.lib.errors import RateLimited
from backend.lib.store import Counters


@dataclass(frozen=True)
class Limit:
    name: str
    """What is limited, e.g. "login-ip"; part of the counter key."""
    max_hits: int
    window_s: int


async def enforce(counters: Counters, limit: Limit, key: str) -> None:
    """Count one hit for `key` under `limit`; raise RateLimited once the window is full."""
    hits, resets_in = await counters.hit(f"{limit.name}:{key}", limit.window_s)
    if hits > limit.max_hits:
        raise RateLimited(
            "Too many requests. Please wait a moment and try again.", retry_after=resets_in
        )
