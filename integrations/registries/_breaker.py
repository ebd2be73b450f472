"""A circuit breaker per registry: stop calling a source that keeps failing, try again later.

closed ──N consecutive failed calls──▶ open ──cooldown elapsed──▶ half-open
  ▲                                      ▲                          │ one trial call
  └───────────── trial succeeds ─────────┴──── trial fails ─────────┘

`admit()` answers every would-be call with a `Permit`:

- `CALL` while closed;
- `REFUSED` while open (`RegistryError(source, "circuit_open")`, no network);
- `TRIAL` to the first caller once the cooldown has elapsed: that call is the one trial, and
  its owner must end it with `record_success(trial=True)`, `record_failure(trial=True)` or,
  when it ended without a verdict (shut down, a bug), `abandon_trial()`;
- `WAIT` to everyone else while the trial is in flight: they wait for its verdict (bounded by
  their own deadline) and ask again — so the siblings of a trial, and other pages asking at
  the same moment, go ahead as soon as the registry is known to be back.

`SourceHttp` runs the trial in a task of its own, so cancelling the caller that started it
(a sibling's failure, a closed page) never cancels the trial: a verdict is always recorded.
Pure logic with an injectable monotonic clock, so it is unit-tested without sleeping.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class Permit(enum.Enum):
    CALL = "call"
    TRIAL = "trial"
    WAIT = "wait"
    REFUSED = "refused"


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

    @property
    def trial_in_flight(self) -> bool:
        return self._trial_in_flight

    def admit(self) -> Permit:
        """May a call go out now? See the module docstring for what each answer asks of the
        caller."""
        if self._opened_at is None:
            return Permit.CALL
        if self._trial_in_flight:
            return Permit.WAIT
        if self._clock() - self._opened_at < self.cooldown_s:
            return Permit.REFUSED
        self._trial_in_flight = True
        return Permit.TRIAL

    def record_success(self, *, trial: bool = False) -> None:
        """The registry answered. Any answer closes the circuit (a call from before it opened
        that comes back well is evidence too); only the trial's own verdict ends the trial."""
        self._failures = 0
        self._opened_at = None
        if trial:
            self._trial_in_flight = False

    def record_failure(self, *, trial: bool = False) -> None:
        """The registry failed a call (timeout, transport, 5xx, malformed)."""
        if trial:
            self._trial_in_flight = False
            self._opened_at = self._clock()  # a new cooldown
            return
        if self._opened_at is not None:
            # A call from before the circuit opened failed too: the cooldown starts again.
            self._opened_at = self._clock()
            return
        self._failures += 1
        if self._failures >= self.failure_threshold:
            self._opened_at = self._clock()

    def abandon_trial(self) -> None:
        """The trial ended without saying anything about the source (the client is closing, or
        a bug): the next caller makes the trial instead."""
        self._trial_in_flight = False
