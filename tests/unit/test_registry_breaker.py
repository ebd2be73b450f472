"""The circuit breaker's state machine, driven by a hand-moved clock."""

from __future__ import annotations

import pytest

from integrations.registries._breaker import CircuitBreaker, Permit
from tests.clock import ManualMonotonic


def breaker(clock: ManualMonotonic, threshold: int = 3, cooldown: float = 10) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=threshold, cooldown_s=cooldown, clock=clock)


def opened(clock: ManualMonotonic, cooldown: float = 10) -> CircuitBreaker:
    b = breaker(clock, threshold=1, cooldown=cooldown)
    b.record_failure()
    assert b.state == "open"
    return b


def test_opens_after_n_consecutive_failures_only() -> None:
    clock = ManualMonotonic(0)
    b = breaker(clock)
    for _ in range(2):
        assert b.admit() is Permit.CALL
        b.record_failure()
    assert b.admit() is Permit.CALL
    b.record_success()  # a success in between resets the count
    for _ in range(2):
        b.record_failure()
    assert b.state == "closed"
    b.record_failure()
    assert b.state == "open"
    assert b.admit() is Permit.REFUSED


def test_half_opens_after_the_cooldown_with_one_trial_the_others_wait_for() -> None:
    clock = ManualMonotonic(0)
    b = opened(clock)
    clock.now = 9.99
    assert b.state == "open"
    assert b.admit() is Permit.REFUSED
    clock.now = 10
    assert b.state == "half_open"
    assert b.admit() is Permit.TRIAL
    assert b.admit() is Permit.WAIT  # everyone else waits for its verdict
    assert b.admit() is Permit.WAIT
    clock.now = 1000  # however long it takes: still one trial
    assert b.admit() is Permit.WAIT
    b.record_success(trial=True)
    assert b.state == "closed"
    assert b.admit() is Permit.CALL


def test_a_failed_trial_starts_a_new_cooldown() -> None:
    clock = ManualMonotonic(0)
    b = opened(clock)
    clock.now = 10
    assert b.admit() is Permit.TRIAL
    clock.now = 12
    b.record_failure(trial=True)
    assert b.state == "open"
    clock.now = 21.9
    assert b.admit() is Permit.REFUSED
    clock.now = 22
    assert b.admit() is Permit.TRIAL


def test_an_abandoned_trial_lets_the_next_caller_try() -> None:
    clock = ManualMonotonic(0)
    b = opened(clock)
    clock.now = 10
    assert b.admit() is Permit.TRIAL
    b.abandon_trial()
    assert b.admit() is Permit.TRIAL


def test_a_late_failure_from_before_the_circuit_opened_keeps_the_trial() -> None:
    clock = ManualMonotonic(0)
    b = opened(clock)
    clock.now = 10
    assert b.admit() is Permit.TRIAL
    b.record_failure()  # a call that went out while closed comes back failed
    assert b.admit() is Permit.WAIT  # the trial is still the one call in flight
    b.record_success(trial=True)
    assert b.state == "closed"


def test_a_late_success_closes_the_circuit_and_the_trial_still_ends() -> None:
    clock = ManualMonotonic(0)
    b = opened(clock)
    clock.now = 10
    assert b.admit() is Permit.TRIAL
    b.record_success()  # the registry answered someone: it is back
    assert b.admit() is Permit.CALL
    b.record_failure(trial=True)  # …but then the trial failed: the newest verdict wins
    assert b.state == "open"
    assert not b.trial_in_flight


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CircuitBreaker(failure_threshold=0, cooldown_s=1)
