"""The circuit breaker's state machine, driven by a hand-moved clock."""

from __future__ import annotations

import pytest

from integrations._breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, threshold: int = 3, cooldown: float = 10) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=threshold, cooldown_s=cooldown, clock=clock)


def test_opens_after_n_consecutive_failures_only() -> None:
    clock = Clock()
    b = breaker(clock)
    for _ in range(2):
        assert b.try_acquire()
        b.record_failure()
    assert b.try_acquire()
    b.record_success()  # a success in between resets the count
    for _ in range(2):
        b.record_failure()
    assert b.state == "closed"
    b.record_failure()
    assert b.state == "open"
    assert not b.try_acquire()


def test_half_opens_after_the_cooldown_with_one_trial() -> None:
    clock = Clock()
    b = breaker(clock, threshold=1)
    b.record_failure()
    clock.now = 9.99
    assert b.state == "open"
    assert not b.try_acquire()
    clock.now = 10
    assert b.state == "half_open"
    assert b.try_acquire()  # the trial
    assert not b.try_acquire()  # everyone else waits for its verdict
    assert b.state == "half_open"
    b.record_success()
    assert b.state == "closed"
    assert b.try_acquire()


def test_a_failed_trial_starts_a_new_cooldown() -> None:
    clock = Clock()
    b = breaker(clock, threshold=1)
    b.record_failure()
    clock.now = 10
    assert b.try_acquire()
    clock.now = 12
    b.record_failure()
    assert b.state == "open"
    clock.now = 21.9
    assert not b.try_acquire()
    clock.now = 22
    assert b.try_acquire()


def test_a_released_trial_lets_the_next_caller_try() -> None:
    clock = Clock()
    b = breaker(clock, threshold=1)
    b.record_failure()
    clock.now = 10
    assert b.try_acquire()
    b.release()
    assert b.try_acquire()


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CircuitBreaker(failure_threshold=0, cooldown_s=1)
