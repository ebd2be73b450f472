"""The 2nd pension pillar: the fund manager may be changed once per calendar year (State Social
Insurance Agency account)."""

from __future__ import annotations

from datetime import date

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
    account = need(ctx.facts.pension, "ssia", "your 2nd pension pillar")
    if account is None:
        return []  # not a participant
    last = account.last_fund_change_date
    if last is not None and last > ctx.today:
        raise SkipRule(
            SkipReason.INCONSISTENT, "ssia", "Your last fund change is dated in the future."
        )
    if last is not None and last.year == ctx.today.year:
        return []  # this year's change is used
    rates = ctx.rates
    return [
        Opportunity(
            id=stable_id(FUND_CHANGE, ctx.subject_key, ctx.today.year),
            rule=FUND_CHANGE,
            subject_key=ctx.subject_key,
            title="You may change your 2nd pillar fund manager this year",
            explanation=f"Your 2nd pillar savings are managed by {account.fund_manager} "
            f"({account.investment_plan}). The fund manager may be changed "
            f"{rates.pillar2_fund_changes_per_year.value} time per calendar year and the "
            f"investment plan {rates.pillar2_plan_changes_per_year.value} times; you have not "
            f"changed the manager in {ctx.today.year}.",
            eligible_because=(
                Eligibility("Last fund change", "never" if last is None else f"{last:%d.%m.%Y}"),
                Eligibility("Source", "State Social Insurance Agency"),
            ),
            action_url="https://www.manapensija.lv/",
            apply_by=date(ctx.today.year, 12, 31),
        )
    ]
