"""Late interest on an overdue tax payment, counted one way wherever it is stated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.lib.late_interest import days_late, interest_on, late_interest, payment_deadline


@pytest.mark.parametrize(
    ("statutory", "on", "days", "why"),
    [
        (date(2026, 11, 15), date(2026, 11, 27), 11, "15 Nov 2026 is a Sunday: due Monday 16th"),
        (date(2026, 11, 15), date(2026, 11, 16), 0, "paid on the moved deadline: not late"),
        (date(2026, 8, 15), date(2026, 8, 18), 1, "Saturday 15 Aug → Monday 17th; 18th: 1 day"),
        (date(2026, 5, 15), date(2026, 5, 20), 5, "a Friday: nothing moves"),
        (date(2026, 3, 31), date(2026, 3, 1), 0, "not yet due"),
    ],
)
def test_days_late_count_from_the_moved_deadline(
    statutory: date, on: date, days: int, why: str
) -> None:
    assert days_late(statutory, on) == days, why


def test_the_moved_deadline_skips_latvian_holidays() -> None:
    # 18 November 2026 (Wednesday) is Proclamation Day.
    assert payment_deadline(date(2026, 11, 18)) == date(2026, 11, 19)


def test_interest_is_0_05_percent_a_day_rounded_to_the_cent() -> None:
    assert late_interest(Decimal("142.50"), 11) == Decimal("0.78")  # 0.78375
    assert late_interest(Decimal("142.50"), 0) == Decimal("0.00")
    assert late_interest(Decimal("1000.00"), 365) == Decimal("182.50")
    # What the municipality states and what the obligation says are the same computation:
    # the statutory date and the day counted from its working-day move (not 12 days, 0.86).
    assert interest_on(Decimal("105.00"), date(2026, 11, 15), date(2026, 11, 27)) == Decimal("0.58")
