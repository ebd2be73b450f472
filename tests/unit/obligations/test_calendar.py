"""Deadline arithmetic: months, leap days, anniversaries, periods, the working-day shift.
Expected dates worked out by hand against the Latvian calendar."""

from __future__ import annotations

from datetime import date

import pytest

from backend.obligations.calendar import (
    MonthDay,
    add_months,
    age_on,
    anniversary,
    deadline,
    periods_reported_from,
)

MARCH_1 = MonthDay(3, 1)
FEB_28 = MonthDay(2, 28)


@pytest.mark.parametrize(
    ("statutory", "expected", "why"),
    [
        (date(2026, 11, 18), date(2026, 11, 19), "Proclamation Day, a Wednesday"),
        (date(2026, 11, 15), date(2026, 11, 16), "a Sunday"),
        (date(2026, 12, 24), date(2026, 12, 28), "Christmas Eve, Christmas, Second Day, Sunday"),
        (date(2026, 12, 26), date(2026, 12, 28), "Second Christmas Day on a Saturday"),
        (date(2026, 12, 31), date(2027, 1, 4), "New Year's Eve, 1 January, weekend"),
        (date(2024, 3, 31), date(2024, 4, 2), "Easter Sunday, then Easter Monday"),
        (date(2029, 3, 31), date(2029, 4, 3), "Saturday, Easter Sunday, Easter Monday"),
        (date(2026, 4, 3), date(2026, 4, 7), "Good Friday 2026 and Easter Monday"),
        (date(2026, 6, 23), date(2026, 6, 25), "Midsummer: 23 and 24 June"),
        (date(2026, 6, 20), date(2026, 6, 25), "weekend, 22 June off by Cabinet order, Midsummer"),
        (date(2026, 1, 17), date(2026, 1, 17), "a Saturday worked by Cabinet order stays"),
        (date(2026, 5, 4), date(2026, 5, 5), "Restoration of Independence Day"),
        (date(2026, 5, 29), date(2026, 5, 29), "an ordinary Friday"),
    ],
)
def test_a_deadline_on_a_day_off_moves_to_the_next_working_day(
    statutory: date, expected: date, why: str
) -> None:
    assert deadline(statutory) == expected, why


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 10, 18), 1, date(2026, 11, 18)),
        (date(2026, 12, 31), 5, date(2027, 5, 31)),
        (date(2026, 6, 30), 1, date(2026, 7, 31)),  # a month end stays a month end
        (date(2026, 2, 28), 5, date(2026, 7, 31)),
        (date(2026, 11, 27), -12, date(2025, 11, 27)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("born", "years", "leap_day", "expected"),
    [
        (date(2008, 2, 29), 18, MARCH_1, date(2026, 3, 1)),
        (date(2008, 2, 29), 18, FEB_28, date(2026, 2, 28)),
        (date(2008, 2, 29), 16, MARCH_1, date(2024, 2, 29)),
        (date(2011, 11, 27), 15, MARCH_1, date(2026, 11, 27)),
    ],
)
def test_anniversary(born: date, years: int, leap_day: MonthDay, expected: date) -> None:
    assert anniversary(born, years, leap_day) == expected


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 12, 17), date(2026, 12, 16), 17),
        (date(2008, 12, 17), date(2026, 12, 17), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2026, 11, 6), date(2026, 11, 27), 0),
        (date(1985, 12, 31), date(2026, 1, 1), 40),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on, MARCH_1) == age


@pytest.mark.parametrize(
    ("start", "months", "labels"),
    [
        (date(2026, 11, 27), 1, ["2026-10", "2026-11", "2026-12"]),
        (date(2026, 1, 5), 1, ["2025-12", "2026-01", "2026-02"]),
        (date(2026, 11, 27), 3, ["2026-Q4", "2027-Q1", "2027-Q2"]),
        (date(2026, 10, 2), 3, ["2026-Q3", "2026-Q4", "2027-Q1"]),
        (date(2027, 1, 15), 3, ["2026-Q4", "2027-Q1", "2027-Q2"]),
    ],
)
def test_periods_are_those_reported_from_this_month(
    start: date, months: int, labels: list[str]
) -> None:
    assert [p.label for p in periods_reported_from(start, months, 3)] == labels


def test_month_days_parse_strictly() -> None:
    assert MonthDay.parse("02-29").in_year(2027) == date(2027, 2, 28)
    assert MonthDay.parse("02-29").in_year(2028) == date(2028, 2, 29)
    for bad in ("13-01", "04-31", "0229", "xx-yy", ""):
        with pytest.raises(ValueError, match=r"MM-DD|month|day"):
            MonthDay.parse(bad)
