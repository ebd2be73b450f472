"""Capped exponential backoff with "equal jitter", shared by every retry loop that persists
its next attempt (notification deliveries, domain-event consumers)."""

from __future__ import annotations

import random


def backoff_delay_s(
    attempts: int, *, base_s: float, cap_s: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after the `attempts`-th failed attempt (1 = the first).

    Half the exponential step is fixed, half random, so work that failed together (an outage)
    spreads out instead of stampeding back at once, yet none waits less than half its step.
    """
    step = min(cap_s, base_s * float(2 ** max(0, attempts - 1)))
    return step / 2 + (rng or random).uniform(0, step / 2)
