"""Latvian working days: public holidays, transferred days off and worked Saturdays.

Every count of working days goes through the `holidays` package's Latvia calendar, which knows
the fixed holidays, Easter, the Monday after 4 May / 18 November falling on a weekend, and the
days moved by Cabinet order (2026: Friday 2 January off, Saturday 17 January worked). Never
count with `weekday() < 5`: that gets every transferred day wrong.

Legal dates are dates in Riga: a message sent at 23:30 Riga time on a Friday (21:30 UTC) was
sent on Friday, and one sent at 00:30 Riga time on Saturday (still Friday in UTC) on Saturday.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

import holidays

from backend.lib.time import RIGA, as_utc


@lru_cache(maxsize=1)
def latvian_calendar() -> Any:
    """The Latvian holiday calendar, one per process.

    It extends itself to any year it is asked about (`expand=True`); it only ever grows, and
    every caller runs on the event loop's thread, so sharing it is safe.
    """
    return holidays.country_holidays("LV")


def riga_date(moment: datetime) -> date:
    """The calendar date in Riga of an instant (a naive datetime is taken to be UTC)."""
    return as_utc(moment).astimezone(RIGA).date()


def is_working_day(day: date) -> bool:
    """True on a Latvian working day, including a Saturday worked by Cabinet order."""
    return bool(latvian_calendar().is_working_day(day))


def nth_working_day_after(day: date, n: int) -> date:
    """The `n`-th working day after `day`, not counting `day` itself (n >= 1).

    Sent on Monday → the 2nd working day after is Wednesday; sent on Saturday → Tuesday.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    result: date = latvian_calendar().get_nth_working_day(day, n)
    return result


def nth_working_day_before(day: date, n: int) -> date:
    """The `n`-th working day before `day`, not counting `day` itself (n >= 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    result: date = latvian_calendar().get_nth_working_day(day, -n)
    return result


def next_working_day_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the next one (a deadline on a holiday moves on)."""
    result: date = latvian_calendar().get_nth_working_day(day, 0)
    return result


def working_days_between(start: date, end: date) -> int:
    """Working days in the closed interval [start, end] (order of the arguments is irrelevant)."""
    return int(latvian_calendar().get_working_days_count(start, end))


def deemed_delivered_on(sent_at: datetime, working_days: int = 2) -> date:
    """Notification Law art. 9: a document sent to an e-address counts as notified on the
    2nd working day after the day it was sent (that day counted in Riga)."""
    return nth_working_day_after(riga_date(sent_at), working_days)
