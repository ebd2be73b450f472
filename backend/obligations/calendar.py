"""Date arithmetic for deadlines: months, anniversaries, periods and the working-day shift.

Every shift to a working day goes through `backend.lib.workdays` (the `holidays` package's
Latvian calendar with transferred days), never through `weekday() < 5`.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date

from backend.lib.texts import ReportingPeriod
from backend.lib.workdays import next_working_day_on_or_after


def month_end(year: int, month: int) -> date:
    return date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def is_month_end(day: date) -> bool:
    return day == month_end(day.year, day.month)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; clamped to the month's last day (31 Jan + 1 → 28/29 Feb).

    A month end stays a month end (30 June + 1 month → 31 July), as "within N months of the
    year end" is read for financial years ending on a month's last day.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = month_end(year, month)
    if is_month_end(day):
        return last
    return date(year, month, min(day.day, last.day))


@dataclass(frozen=True, order=True)
class MonthDay:
    """A recurring calendar day (`03-31`), resolved into a concrete date per year."""

    month: int
    day: int

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """`MM-DD`; raises ValueError for anything that is no day of any year."""
        month_text, sep, day_text = text.strip().partition("-")
        if not sep or not (month_text.isdigit() and day_text.isdigit()):
            raise ValueError("expected MM-DD")
        value = cls(int(month_text), int(day_text))
        date(2024, value.month, value.day)  # 2024 is a leap year: 02-29 is accepted
        return value

    def in_year(self, year: int) -> date:
        """The date in `year`; 29 February in a common year becomes 28 February."""
        last = month_end(year, self.month).day
        return date(year, self.month, min(self.day, last))

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def day_of_month(month: date, day: int) -> date:
    """`day` of `month`'s month, clamped to its last day (the 31st of June is the 30th)."""
    return date(month.year, month.month, min(day, month_end(month.year, month.month).day))


def deadline(statutory: date) -> date:
    """A legal deadline on a weekend or Latvian public holiday moves to the next working day."""
    return next_working_day_on_or_after(statutory)


def anniversary(born: date, years: int, leap_day: MonthDay) -> date:
    """The day someone born on `born` turns `years` old.

    For people born on 29 February the day in a common year is `leap_day` (a rates-table
    value: 03-01 or 02-28).
    """
    year = born.year + years
    if born.month == 2 and born.day == 29 and not _stdlib_calendar.isleap(year):
        return leap_day.in_year(year)
    return date(year, born.month, born.day)


def age_on(born: date, day: date, leap_day: MonthDay) -> int:
    """Whole years of age on `day` (0 before the first birthday)."""
    years = day.year - born.year
    if years > 0 and anniversary(born, years, leap_day) > day:
        years -= 1
    return max(years, 0)


@dataclass(frozen=True)
class Period:
    """A reporting period: a month or a calendar quarter, `first`..`last` inclusive."""

    first: date
    last: date

    @property
    def label(self) -> str:
        if self.first.month == self.last.month:
            return f"{self.first:%Y-%m}"
        return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"

    @property
    def text(self) -> ReportingPeriod:
        """The period in words for titles ("par 2026. gada novembri"); `label` stays the
        stable identifier inside obligation ids."""
        months = 1 if self.first.month == self.last.month else 3
        return ReportingPeriod(self.first, months)


def periods_reported_from(start: date, months: int, count: int) -> list[Period]:
    """`count` consecutive periods of `months` (1 or 3) months, beginning with the one whose
    report falls due in `start`'s month or later (reports are due in the month after)."""
    if months not in (1, 3):
        raise ValueError("periods are months or quarters")
    previous = add_months(date(start.year, start.month, 1), -1)
    first = date(previous.year, previous.month - (previous.month - 1) % months, 1)
    result: list[Period] = []
    for index in range(count):
        begins = add_months(first, index * months)
        ends = add_months(begins, months - 1)
        result.append(Period(begins, month_end(ends.year, ends.month)))
    return result
