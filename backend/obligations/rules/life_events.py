"""Age milestones: turning 18 (new rights and duties) and state pension age approaching.

The birth date comes from the personal code or, for codes without one, from the login.
"""

from __future__ import annotations

from datetime import date, timedelta

from backend.lib.texts import N_, Text
from backend.obligations.calendar import add_months, anniversary
from backend.obligations.rules.base import (
    Eligibility,
    Finding,
    Opportunity,
    PersonContext,
    SkipReason,
    SkipRule,
    stable_id,
)

ADULT = "life.turning_18"
PENSION = "life.pension_age"


def _born(ctx: PersonContext, what: Text) -> date:
    born = ctx.facts.birth_date
    if born is None:
        raise SkipRule(
            SkipReason.MISSING_FACT,
            None,
            Text(N_("We could not check {what}: your birth date is unknown."), what=what),
        )
    if born > ctx.today:
        raise SkipRule(
            SkipReason.INCONSISTENT, None, Text(N_("Your birth date lies in the future."))
        )
    return born


def turning_18(ctx: PersonContext) -> list[Finding]:
    born = _born(ctx, Text(N_("age milestones")))
    rates = ctx.rates
    adult = rates.adult_age.value
    birthday = anniversary(born, adult, rates.leap_day_birthday.value)
    shown_from = birthday - timedelta(days=rates.turning_18_notice_days.value)
    shown_until = birthday + timedelta(days=rates.turning_18_after_days.value)
    if not shown_from <= ctx.today <= shown_until:
        return []
    return [
        Opportunity(
            id=stable_id(ADULT, ctx.subject_key),
            rule=ADULT,
            subject_key=ctx.subject_key,
            title=Text(
                N_("You turn {age} on {date}")
                if ctx.today < birthday
                else N_("You turned {age} on {date}"),
                age=adult,
                date=birthday,
            ),
            # Validity: PMLP, "Personu apliecinošu dokumentu noformēšana" — a passport or eID
            # card issued from age 5 to 20 is valid 5 years, from 20 on 10 years (Cabinet
            # Regulation on Personal Identification Documents); the eID card is the compulsory
            # document (Personal Identification Documents Law, see rules/documents.py).
            explanation=Text(
                N_(
                    "At 18 you gain full legal capacity: you may vote in elections, sign "
                    "contracts, and act for yourself with every institution. Duties come too: "
                    "you answer for your own taxes and declarations, and a valid eID card stays "
                    "compulsory. A passport or eID card issued before you turn 20 is valid for "
                    "5 years; one issued from 20 on, for 10 years."
                )
            ),
            eligible_because=(
                Eligibility(Text(N_("Birth date")), Text("{date}", date=born)),
                Eligibility(Text(N_("Source")), Text(N_("your personal code or your login"))),
            ),
            action_url="https://www.latvija.gov.lv/",
        )
    ]


def pension_age(ctx: PersonContext) -> list[Finding]:
    born = _born(ctx, Text(N_("your pension age")))
    rates = ctx.rates
    leap = rates.leap_day_birthday.value
    years = rates.pension_age_years.value
    pension_day = anniversary(born, years, leap)
    if not ctx.today < pension_day <= add_months(ctx.today, rates.pension_notice_months.value):
        return []
    early = anniversary(born, years - rates.pension_early_years.value, leap)
    explanation = (
        N_(
            "The state old-age pension age is {years}, with an insurance record of at least "
            "{record} years. With 30 years of insurance record you may retire early, from "
            "{early}. Apply to the State Social Insurance Agency; your 2nd pillar savings join "
            "the pension or may be inherited."
        )
        if rates.pension_age_years.verified
        else N_(
            "The state old-age pension age is {years} (this age is not verified), with an "
            "insurance record of at least {record} years. With 30 years of insurance record you "
            "may retire early, from {early}. Apply to the State Social Insurance Agency; your "
            "2nd pillar savings join the pension or may be inherited."
        )
    )
    return [
        Opportunity(
            id=stable_id(PENSION, ctx.subject_key),
            rule=PENSION,
            subject_key=ctx.subject_key,
            title=Text(N_("You reach state pension age on {date}"), date=pension_day),
            explanation=Text(
                explanation,
                years=years,
                record=rates.pension_min_insurance_years.value,
                early=early,
            ),
            eligible_because=(
                Eligibility(Text(N_("Birth date")), Text("{date}", date=born)),
                Eligibility(Text(N_("Pension age")), str(years)),
            ),
            action_url="https://www.vsaa.gov.lv/",
            apply_by=None,
        )
    ]
