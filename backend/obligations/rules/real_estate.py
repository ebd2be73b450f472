"""Real-estate tax instalments (31 March, 15 May, 15 August, 15 November), with late interest
of 0.05 % a day shown once an instalment is overdue. The schedule's `paid` flags come from the
State Revenue Service, so the state confirms payment."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from backend.lib.texts import N_, Money, Text
from backend.obligations.calendar import deadline
from backend.obligations.rules.base import (
    Finding,
    Obligation,
    PersonContext,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)

INSTALMENT = "real_estate_tax.instalment"
SOURCE = "srs"
LAW = Text(N_("Law on Real Estate Tax"))
ACT_URL = "https://www.epakalpojumi.lv/"
CENT = Decimal("0.01")
ROUNDING_SLACK = Decimal("0.05")


def late_interest(amount: Decimal, days_late: int, per_day: Decimal) -> Decimal:
    """Interest on `amount` for `days_late` days, in cents (0 when not late)."""
    if days_late <= 0:
        return Decimal("0.00")
    return (amount * per_day * days_late).quantize(CENT, rounding=ROUND_HALF_UP)


def real_estate_tax(ctx: PersonContext) -> list[Finding]:
    schedule = need(ctx.facts.real_estate_tax, SOURCE, Text(N_("your real-estate tax")))
    if schedule is None:
        return []
    if schedule.year != ctx.today.year:
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(
                N_("We could not check your real-estate tax: the schedule was for {year}."),
                year=schedule.year,
            ),
        )
    instalments = sorted(schedule.instalments, key=lambda item: item.due_date)
    if any(item.due_date.year != schedule.year or item.amount < 0 for item in instalments):
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(
                N_("We could not check your real-estate tax: an instalment falls outside its year.")
            ),
        )
    if abs(sum((item.amount for item in instalments), Decimal(0)) - schedule.total) > (
        ROUNDING_SLACK
    ):
        raise SkipRule(
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(
                N_(
                    "We could not check your real-estate tax: the instalments do not add up to "
                    "the year's total."
                )
            ),
        )
    per_day = ctx.rates.late_interest_per_day.value
    findings: list[Finding] = []
    for number, item in enumerate(instalments, start=1):
        if item.paid:
            continue
        due = deadline(item.due_date)
        interest = None
        if due < ctx.today:
            interest = late_interest(item.amount, (ctx.today - due).days, per_day)
        findings.append(
            Obligation(
                id=stable_id(INSTALMENT, ctx.subject_key, schedule.year, number),
                rule=INSTALMENT,
                subject_key=ctx.subject_key,
                title=Text(
                    N_("Real-estate tax, instalment {number} of {count}"),
                    number=number,
                    count=len(instalments),
                ),
                description=Text(
                    N_("{amount} of this year's {total} real-estate tax."),
                    amount=Money(item.amount),
                    total=Money(schedule.total),
                )
                if interest is None
                else Text(
                    N_(
                        "{amount} of this year's {total} real-estate tax. Late interest of "
                        "{rate} % a day: {interest} so far."
                    ),
                    amount=Money(item.amount),
                    total=Money(schedule.total),
                    rate=(per_day * 100).normalize(),
                    interest=Money(interest),
                ),
                due_date=due,
                statutory_date=item.due_date if item.due_date != due else None,
                amount=item.amount,
                late_interest=interest,
                legal_basis=LAW,
                action_url=ACT_URL,
                ladder=ctx.rates.ladder_taxes.value,
            )
        )
    return findings
