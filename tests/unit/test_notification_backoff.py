"""Retry timing: exponential, capped, jittered, and never before Retry-After."""

from __future__ import annotations

import random

from backend.notifications.engine.backoff import retry_after_seconds, retry_delay_s


def test_delays_double_per_attempt_within_their_jitter_band() -> None:
    rng = random.Random(7)
    for attempts, step in [(1, 30), (2, 60), (3, 120), (4, 240)]:
        delays = [retry_delay_s(attempts, base_s=30, cap_s=3600, rng=rng) for _ in range(200)]
        assert all(step / 2 <= d <= step for d in delays)
        assert max(delays) - min(delays) > step / 4  # jitter really spreads them


def test_the_cap_bounds_every_delay() -> None:
    rng = random.Random(1)
    delays = [retry_delay_s(30, base_s=30, cap_s=600, rng=rng) for _ in range(100)]
    assert all(300 <= d <= 600 for d in delays)


def test_retry_after_is_a_floor_not_a_ceiling() -> None:
    rng = random.Random(3)
    assert retry_delay_s(1, base_s=30, cap_s=3600, retry_after_s=900, rng=rng) == 900
    assert retry_delay_s(8, base_s=30, cap_s=3600, retry_after_s=1, rng=rng) >= 1800


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: now
    future = retry_after_seconds("Fri, 01 Jan 2100 00:00:00 GMT")
    assert future is not None
    assert future > 10**9
