"""Working-day arithmetic against the Latvian calendar; expected dates worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend.lib.workdays import (
    deemed_delivered_on,
    is_working_day,
    next_working_day_on_or_after,
    nth_working_day_after,
    nth_working_day_before,
    riga_date,
    working_days_between,
)


@pytest.mark.parametrize(
    ("sent_on", "expected", "why"),
    [
        (date(2026, 3, 2), date(2026, 3, 4), "ordinary Monday → Wednesday"),
        (date(2026, 3, 6), date(2026, 3, 10), "Friday → Tuesday over the weekend"),
        (date(2026, 3, 7), date(2026, 3, 10), "sent on Saturday: Monday is the 1st"),
        (date(2025, 12, 23), date(2025, 12, 30), "Christmas Eve, Christmas, Second Day"),
        (date(2025, 12, 30), date(2026, 1, 6), "New Year's Eve, 1 January, 2 January off"),
        (date(2026, 12, 30), date(2027, 1, 5), "year end: 31 December and 1 January"),
        (date(2026, 4, 2), date(2026, 4, 8), "Easter: Good Friday and Easter Monday"),
        (date(2026, 6, 19), date(2026, 6, 26), "Midsummer: 22 June off, 23-24 June"),
        (date(2026, 6, 25), date(2026, 6, 27), "Saturday 27 June 2026 is worked"),
        (date(2026, 1, 15), date(2026, 1, 17), "Saturday 17 January 2026 is worked"),
        (date(2025, 4, 30), date(2025, 5, 7), "1 May, 2 May off, 4 May on Sunday → 5 May"),
        (date(2025, 5, 8), date(2025, 5, 10), "Saturday 10 May 2025 is worked"),
        (date(2023, 11, 17), date(2023, 11, 22), "18 November on Saturday → Monday 20th off"),
        (date(2028, 11, 17), date(2028, 11, 22), "18 November 2028 on Saturday → Monday off"),
    ],
)
def test_second_working_day_after_sending(sent_on: date, expected: date, why: str) -> None:
    assert nth_working_day_after(sent_on, 2) == expected, why


@pytest.mark.parametrize(
    ("sent_at", "expected", "why"),
    [
        # Winter: Riga is UTC+2.
        (datetime(2026, 1, 15, 21, 30, tzinfo=UTC), date(2026, 1, 17), "23:30 Thursday in Riga"),
        (datetime(2026, 1, 15, 22, 30, tzinfo=UTC), date(2026, 1, 19), "00:30 Friday in Riga"),
        # Summer: Riga is UTC+3.
        (datetime(2026, 6, 25, 20, 30, tzinfo=UTC), date(2026, 6, 27), "23:30 Thursday in Riga"),
        (datetime(2026, 6, 25, 21, 30, tzinfo=UTC), date(2026, 6, 29), "00:30 Friday in Riga"),
        # New Year's Eve night: still 2025 in UTC, already 2026 in Riga.
        (datetime(2025, 12, 31, 22, 30, tzinfo=UTC), date(2026, 1, 6), "00:30 1 Jan in Riga"),
        # A naive datetime (SQLite hands them back) counts as UTC.
        (datetime(2026, 1, 15, 22, 30), date(2026, 1, 19), "naive means UTC"),
    ],
)
def test_deemed_delivered_counts_the_sending_day_in_riga(
    sent_at: datetime, expected: date, why: str
) -> None:
    assert deemed_delivered_on(sent_at) == expected, why


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 1, 2), False),  # Friday, transferred day off
        (date(2026, 1, 17), True),  # Saturday worked instead
        (date(2026, 1, 24), False),  # an ordinary Saturday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 4), False),  # Restoration of Independence Day
        (date(2025, 5, 5), False),  # 4 May 2025 fell on Sunday
        (date(2026, 6, 22), False),  # transferred day off before Midsummer
        (date(2026, 6, 27), True),  # Saturday worked instead
        (date(2026, 11, 18), False),  # Proclamation Day
        (date(2026, 12, 24), False),
        (date(2026, 12, 31), False),
        (date(2026, 3, 4), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_counting_backwards_and_forwards() -> None:
    assert nth_working_day_before(date(2026, 1, 19), 1) == date(2026, 1, 17)
    assert nth_working_day_before(date(2026, 1, 5), 1) == date(2025, 12, 30)
    assert next_working_day_on_or_after(date(2026, 6, 22)) == date(2026, 6, 25)
    assert next_working_day_on_or_after(date(2026, 3, 4)) == date(2026, 3, 4)
    # 12-16 January (5) + Saturday 17 January: six working days.
    assert working_days_between(date(2026, 1, 12), date(2026, 1, 18)) == 6
    with pytest.raises(ValueError, match="at least 1"):
        nth_working_day_after(date(2026, 1, 1), 0)


def test_riga_date_across_midnight() -> None:
    assert riga_date(datetime(2026, 3, 1, 21, 59, tzinfo=UTC)) == date(2026, 3, 1)
    assert riga_date(datetime(2026, 3, 1, 22, 0, tzinfo=UTC)) == date(2026, 3, 2)
