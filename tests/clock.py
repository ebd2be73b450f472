"""A clock for tests that stands still until the test moves it: what a TTL decides is tested
by moving time past it, never by sleeping (a sleep races the TTL on a busy machine)."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.lib.time import utcnow


class ManualClock:
    """Callable like `utcnow`; returns the same instant until `advance`."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
