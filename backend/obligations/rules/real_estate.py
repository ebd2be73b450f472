"""Real-estate tax instalments (31 March, 15 May, 15 August, 15 November), with late interest
of 0.05 % a day shown once an instalment is overdue.

The tax is the municipality's: the municipality where the property is assesses it, sends the
payment notice by 15 February and collects it (Law on Real Estate Tax, "Par nekustamā īpašuma
nodokli"); it is not part of the State Revenue Service's tax account. So the notices and their
`paid` flags come from the municipalities' source, one notice per municipality, and the late
interest is counted as the municipality counts it (`backend/lib/late_interest.py`).
"""

from __future__ import annotations

from decimal import Decimal

from backend.lib import late_interest as interest_law
from backend.lib.texts import N_, Money, Text
from backend.obligations.rules.base import (
    Finding,
    Obligation,
    PersonContext,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)
from integrations.registries.municipalities.models import RealEstateTaxNotice

INSTALMENT = "real_estate_tax.instalment"
SOURCE = "municipalities"
LAW = Text(N_("Law on Real Estate Tax"))
ACT_URL = "https://www.epakalpojumi.lv/"
ROUNDING_SLACK = Decimal("0.05")
late_interest = interest_law.late_interest


def real_estate_tax(ctx: PersonContext) -> list[Finding]:
    notices = need(ctx.facts.real_estate_tax, SOURCE, Text(N_("your real-estate tax"))) or []
    findings: list[Finding] = []
    for notice in notices:
        findings.extend(_notice(ctx, notice, several=len(notices) > 1))
    return findings


def _notice(ctx: PersonContext, schedule: RealEstateTaxNotice, *, several: bool) -> list[Finding]:
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
        due = interest_law.payment_deadline(item.due_date)
        interest = None
        if due < ctx.today:
            interest = interest_law.interest_on(item.amount, item.due_date, ctx.today, per_day)
        # One notice keeps the id it always had; with several, each municipality's own.
        parts = (
            (schedule.year, number, schedule.municipality)
            if several
            else (
                schedule.year,
                number,
            )
        )
        findings.append(
            Obligation(
                id=stable_id(INSTALMENT, ctx.subject_key, *parts),
                rule=INSTALMENT,
                subject_key=ctx.subject_key,
                title=Text(
                    N_("Real-estate tax, instalment {number} of {count}"),
                    number=number,
                    count=len(instalments),
                )
                if not several
                else Text(
                    N_("Real-estate tax ({municipality}), instalment {number} of {count}"),
                    municipality=schedule.municipality,
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
