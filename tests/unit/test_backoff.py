"""The one backoff formula (`backend.lib.backoff`) behind every retry loop: notifications and
domain events (equal jitter: never less than half the step), the registry clients' GET retries
(full jitter: a waiting page may retry at once) and the worker's failing jobs."""

from __future__ import annotations

import random

from backend.lib.backoff import backoff_delay_s
from integrations.registries._http import backoff_delay


def test_equal_jitter_keeps_half_the_step_and_spreads_the_rest() -> None:
    rng = random.Random(5)
    for attempts, step in [(1, 2.0), (2, 4.0), (3, 8.0), (6, 60.0), (20, 60.0)]:
        delays = [backoff_delay_s(attempts, base_s=2.0, cap_s=60.0, rng=rng) for _ in range(200)]
        assert all(step / 2 <= d <= step for d in delays)
        assert max(delays) - min(delays) > step / 4


def test_full_jitter_may_retry_at_once_but_never_beyond_the_step() -> None:
    rng = random.Random(9)
    delays = [backoff_delay_s(3, base_s=0.1, cap_s=2.0, jitter="full", rng=rng) for _ in range(500)]
    assert all(0 <= d <= 0.4 for d in delays)
    assert min(delays) < 0.1  # below the equal-jitter floor: a waiting read is not held back


def test_registry_retries_use_the_shared_formula() -> None:
    # attempt 0 is the first retry: its step is the base.
    random.seed(4)
    first = [backoff_delay(0, base_s=0.1, max_s=2.0) for _ in range(100)]
    assert all(0 <= d <= 0.1 for d in first)
    capped = [backoff_delay(10, base_s=0.1, max_s=2.0) for _ in range(100)]
    assert all(0 <= d <= 2.0 for d in capped)
    assert max(capped) > 1.0
