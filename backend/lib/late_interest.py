"""Late interest on an overdue tax payment: one computation for every place that states it.

Legal basis: the law "On Taxes and Fees" (likums "Par nodokļiem un nodevām"), Section 29 —
late interest of 0.05 % of the overdue amount for each day of delay; real-estate tax is a
tax in its sense (Law on Real Estate Tax, "Par nekustamā īpašuma nodokli"). A payment
deadline on a weekend or public holiday moves to the next working day, so the first day of
delay is the day after the moved deadline.

The obligation rule (what the person is told) and the registry sandbox (what the municipality's
record says) both count with these functions: they used to count from different days (the
statutory date and the moved one) and disagreed by a day.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from backend.lib.workdays import next_working_day_on_or_after

PER_DAY = Decimal("0.0005")
"""0.05 % a day ("Par nodokļiem un nodevām", Section 29); the obligations rates table carries
the value the rules use, so that a deployment can correct it."""
CENT = Decimal("0.01")


def payment_deadline(statutory: date) -> date:
    """The day a payment is due: `statutory`, or the next working day after a day off."""
    return next_working_day_on_or_after(statutory)


def days_late(statutory: date, on: date) -> int:
    """Whole days of delay on `on` for a payment due on `statutory` (0 while not late)."""
    return max(0, (on - payment_deadline(statutory)).days)


def late_interest(amount: Decimal, days: int, per_day: Decimal = PER_DAY) -> Decimal:
    """Interest on `amount` for `days` days of delay, rounded to the cent (0 when not late)."""
    if days <= 0:
        return Decimal("0.00")
    return (amount * per_day * days).quantize(CENT, rounding=ROUND_HALF_UP)


def interest_on(amount: Decimal, statutory: date, on: date, per_day: Decimal = PER_DAY) -> Decimal:
    """Late interest on `on` for `amount` that fell due on `statutory` and is still unpaid."""
    return late_interest(amount, days_late(statutory, on), per_day)
