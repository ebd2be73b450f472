"""Clocks for tests that stand still until the test moves them: what a TTL or a cooldown decides
is tested by moving time past it, never by sleeping (a sleep races the TTL on a busy machine)."""

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


class ManualMonotonic:
    """Callable like `time.monotonic`, for what takes a monotonic clock (the registry
    breakers); returns the same reading until `advance`."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
