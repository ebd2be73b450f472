"""Opportunities for families: the childbirth and family state benefits after a birth, and the
large-family (3+) card. Children come from the Population Register."""

from __future__ import annotations

from backend.lib.texts import N_, Text
from backend.obligations.calendar import add_months, age_on, anniversary
from backend.obligations.rules.base import (
    Eligibility,
    Finding,
    Opportunity,
    PersonContext,
    Skipped,
    SkipReason,
    need,
    stable_id,
)
from integrations.registries.population_register.models import Child

BIRTH = "family.childbirth_benefit"
FAMILY_BENEFIT = "family.state_benefit"
LARGE_FAMILY = "family.large_family_card"
SOURCE = "population_register"
APPLY_URL = "/applications"
"""Both benefits are prepared from the same facts as applications to confirm (issue 17)."""
BORN = N_("Born")
SOURCE_LABEL = N_("Source")
POPULATION_REGISTER = N_("Population Register")


def _children(ctx: PersonContext) -> tuple[list[Child], list[Finding]]:
    children = need(ctx.facts.children, SOURCE, Text(N_("your children"))) or []
    future = [child for child in children if child.birth_date > ctx.today]
    notes: list[Finding] = [
        Skipped(
            BIRTH,
            SkipReason.INCONSISTENT,
            SOURCE,
            Text(N_("We left out a child whose birth date the register gives in the future.")),
        )
        for _ in future
    ]
    return [child for child in children if child.birth_date <= ctx.today], notes


def after_birth(ctx: PersonContext) -> list[Finding]:
    children, findings = _children(ctx)
    rates = ctx.rates
    for child in children:
        born = child.birth_date
        because = (
            Eligibility(Text(N_("Child")), child.name),
            Eligibility(Text(BORN), Text("{date}", date=born)),
            Eligibility(Text(SOURCE_LABEL), Text(POPULATION_REGISTER)),
        )
        apply_by = add_months(born, rates.childbirth_benefit_apply_months.value)
        if ctx.today <= apply_by:
            findings.append(
                Opportunity(
                    id=stable_id(BIRTH, ctx.subject_key, child.personal_code),
                    rule=BIRTH,
                    subject_key=ctx.subject_key,
                    title=Text(N_("Childbirth benefit")),
                    explanation=Text(
                        N_(
                            "The Population Register lists {name}, born {date}, as your child. "
                            "One parent may claim the one-off childbirth benefit from the State "
                            "Social Insurance Agency; it is lost if not claimed within {months} "
                            "months of the birth."
                        ),
                        name=child.name,
                        date=born,
                        months=rates.childbirth_benefit_apply_months.value,
                    ),
                    eligible_because=because,
                    action_url=APPLY_URL,
                    apply_by=apply_by,
                    amount=rates.childbirth_benefit_amount.value,
                )
            )
        first_birthday = anniversary(born, 1, rates.leap_day_birthday.value)
        family_by = add_months(
            first_birthday, rates.family_benefit_apply_months_after_first_birthday.value
        )
        if ctx.today <= family_by:
            findings.append(
                Opportunity(
                    id=stable_id(FAMILY_BENEFIT, ctx.subject_key, child.personal_code),
                    rule=FAMILY_BENEFIT,
                    subject_key=ctx.subject_key,
                    title=Text(N_("Family state benefit")),
                    explanation=Text(
                        N_(
                            "{name} turns one on {date}. The family state benefit is paid from "
                            "the first birthday; you may apply right after the birth, and "
                            "applying later than {months} months after the first birthday "
                            "loses the months before."
                        ),
                        name=child.name,
                        date=first_birthday,
                        months=rates.family_benefit_apply_months_after_first_birthday.value,
                    ),
                    eligible_because=because,
                    action_url=APPLY_URL,
                    apply_by=family_by,
                )
            )
    return findings


def large_family(ctx: PersonContext) -> list[Finding]:
    children, _notes = _children(ctx)  # `after_birth` reports them once
    findings: list[Finding] = []
    rates = ctx.rates
    leap = rates.leap_day_birthday.value
    minors = [
        child
        for child in children
        if age_on(child.birth_date, ctx.today, leap) < rates.large_family_child_max_age.value
    ]
    max_age = rates.large_family_child_max_age.value
    if len(minors) < rates.large_family_min_children.value:
        return findings
    years = ", ".join(sorted(str(child.birth_date.year) for child in minors))
    findings.append(
        Opportunity(
            id=stable_id(LARGE_FAMILY, ctx.subject_key),
            rule=LARGE_FAMILY,
            subject_key=ctx.subject_key,
            title=Text(N_("Large-family card (3+ Ģimenes karte)")),
            explanation=Text(
                N_(
                    "The Population Register lists {count} children under {age} for you. "
                    "Families with {minimum} or more children may get the 3+ card: discounts "
                    "in shops, transport and state services."
                ),
                count=len(minors),
                age=max_age,
                minimum=rates.large_family_min_children.value,
            ),
            eligible_because=(
                Eligibility(Text(N_("Children under {age}"), age=max_age), str(len(minors))),
                Eligibility(Text(BORN), years),
                Eligibility(Text(SOURCE_LABEL), Text(POPULATION_REGISTER)),
            ),
            action_url="https://www.3plus.lv/",
        )
    )
    return findings
