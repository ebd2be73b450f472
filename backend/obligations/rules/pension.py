"""The 2nd pension pillar: the fund manager may be changed once per calendar year (State Social
Insurance Agency account)."""

from __future__ import annotations

from datetime import date

from backend.lib.texts import N_, Text
from backend.obligations.rules.base import (
    Eligibility,
    Finding,
    Opportunity,
    PersonContext,
    SkipReason,
    SkipRule,
    need,
    stable_id,
)

FUND_CHANGE = "pension.fund_change"


def fund_change(ctx: PersonContext) -> list[Finding]:
    account = need(ctx.facts.pension, "ssia", Text(N_("your 2nd pension pillar")))
    if account is None:
        return []  # not a participant
    last = account.last_fund_change_date
    if last is not None and last > ctx.today:
        raise SkipRule(
            SkipReason.INCONSISTENT,
            "ssia",
            Text(N_("Your last fund change is dated in the future.")),
        )
    if last is not None and last.year == ctx.today.year:
        return []  # this year's change is used
    rates = ctx.rates
    return [
        Opportunity(
            id=stable_id(FUND_CHANGE, ctx.subject_key, ctx.today.year),
            rule=FUND_CHANGE,
            subject_key=ctx.subject_key,
            title=Text(N_("You may change your 2nd pillar fund manager this year")),
            explanation=Text(
                N_(
                    "Your 2nd pillar savings are managed by {manager} ({plan}). The fund "
                    "manager may be changed {fund_changes} time per calendar year and the "
                    "investment plan {plan_changes} times; you have not changed the manager in "
                    "{year}."
                ),
                manager=account.fund_manager,
                plan=account.investment_plan,
                fund_changes=rates.pillar2_fund_changes_per_year.value,
                plan_changes=rates.pillar2_plan_changes_per_year.value,
                year=ctx.today.year,
            ),
            eligible_because=(
                Eligibility(
                    Text(N_("Last fund change")),
                    Text(N_("never")) if last is None else Text("{date}", date=last),
                ),
                Eligibility(Text(N_("Source")), Text(N_("State Social Insurance Agency"))),
            ),
            action_url="https://www.manapensija.lv/",
            apply_by=date(ctx.today.year, 12, 31),
        )
    ]
