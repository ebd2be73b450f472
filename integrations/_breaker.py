"""A circuit breaker per registry: stop calling a source that keeps failing, try again later.

closed ──N consecutive failed calls──▶ open ──cooldown elapsed──▶ half-open
  ▲                                      ▲                          │ one trial call
  └───────────── trial succeeds ─────────┴──── trial fails ─────────┘

While open, and while the single half-open trial is in flight, calls are refused at once
(`RegistryError(source, "circuit_open")`) without touching the network. Pure logic with an
injectable monotonic clock, so it is unit-tested without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._trial_in_flight or self._clock() - self._opened_at >= self.cooldown_s:
            return "half_open"
        return "open"

    def try_acquire(self) -> bool:
        """May a call go out now? In half-open state only the first caller gets True (the
        trial); it must report back with `record_success` or `record_failure`."""
        state = self.state
        if state == "closed":
            return True
        if state == "open" or self._trial_in_flight:
            return False
        self._trial_in_flight = True
        return True

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        if self._trial_in_flight or self._opened_at is not None:
            # The trial failed (or a straggler from before opening did): cool down again.
            self._opened_at = self._clock()
            self._trial_in_flight = False
            return
        self._failures += 1
        if self._failures >= self.failure_threshold:
            self._opened_at = self._clock()

    def release(self) -> None:
        """A call ended without saying anything about the source's health (e.g. cancelled by
        the caller's own deadline): let the next caller make the trial instead."""
        self._trial_in_flight = False
