"""A monotonic clock moved by hand, for what takes an injectable clock (the registry breakers):
tests step it past a cooldown instead of sleeping."""

from __future__ import annotations


class ManualClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
