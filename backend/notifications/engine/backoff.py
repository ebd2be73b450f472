"""When to try again: capped exponential backoff with jitter, never sooner than Retry-After."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from backend.lib.backoff import backoff_delay_s
from backend.lib.time import utcnow


def retry_delay_s(
    attempts: int,
    *,
    base_s: float,
    cap_s: float,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after the `attempts`-th failed attempt (1 = the first): the shared
    equal-jitter backoff (`backend.lib.backoff`), so retries of many notifications that failed
    together (a push service's outage) spread out. A Retry-After from the service is a floor:
    it knows better when it will be ready.
    """
    delay = backoff_delay_s(attempts, base_s=base_s, cap_s=cap_s, rng=rng)
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return delay


def next_attempt_at(
    now: datetime,
    attempts: int,
    *,
    base_s: float,
    cap_s: float,
    retry_after_s: float | None = None,
) -> datetime:
    delay = retry_delay_s(attempts, base_s=base_s, cap_s=cap_s, retry_after_s=retry_after_s)
    return now + timedelta(seconds=delay)


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date in the future."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - utcnow()).total_seconds())
