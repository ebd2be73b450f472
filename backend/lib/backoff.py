"""Capped exponential backoff with jitter: the one formula every retry loop uses —
notification deliveries and domain-event consumers (persisted next attempts), the worker's
failing jobs (`backend/worker.py`) and the registry clients' GET retries
(`integrations/registries/_http.py`)."""

from __future__ import annotations

import random
from typing import Literal


def backoff_delay_s(
    attempts: int,
    *,
    base_s: float,
    cap_s: float,
    jitter: Literal["equal", "full"] = "equal",
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after the `attempts`-th failed attempt (1 = the first).

    The step is `base_s` doubled per attempt, capped at `cap_s`. "equal" jitter (the default):
    half the step is fixed, half random, so work that failed together (an outage) spreads out
    instead of stampeding back at once, yet none waits less than half its step. "full" jitter:
    anywhere in [0, step] — for a caller waiting on the answer (a registry read within a
    page's budget), where a short wait matters more than a floor.
    """
    step = min(cap_s, base_s * float(2 ** max(0, attempts - 1)))
    pick = (rng or random).uniform
    return pick(0, step) if jitter == "full" else step / 2 + pick(0, step / 2)
