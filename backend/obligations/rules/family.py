"""Opportunities for families: the childbirth and family state benefits after a birth, and the
large-family (3+) card. Children come from the Population Register."""

from __future__ import annotations

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
from integrations.population_register.models import Child

BIRTH = "family.childbirth_benefit"
FAMILY_BENEFIT = "family.state_benefit"
LARGE_FAMILY = "family.large_family_card"
SOURCE = "population_register"
VSAA_URL = "https://www.vsaa.gov.lv/"


def _children(ctx: PersonContext) -> tuple[list[Child], list[Finding]]:
    children = need(ctx.facts.children, SOURCE, "your children") or []
    future = [child for child in children if child.birth_date > ctx.today]
    notes: list[Finding] = [
        Skipped(
            BIRTH,
            SkipReason.INCONSISTENT,
            SOURCE,
            "We left out a child whose birth date the register gives in the future.",
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
            Eligibility("Child", child.name),
            Eligibility("Born", f"{born:%d.%m.%Y}"),
            Eligibility("Source", "Population Register"),
        )
        apply_by = add_months(born, rates.childbirth_benefit_apply_months.value)
        if ctx.today <= apply_by:
            findings.append(
                Opportunity(
                    id=stable_id(BIRTH, ctx.subject_key, child.personal_code),
                    rule=BIRTH,
                    subject_key=ctx.subject_key,
                    title="Childbirth benefit",
                    explanation=f"The Population Register lists {child.name}, born "
                    f"{born:%d.%m.%Y}, as your child. One parent may claim the one-off "
                    "childbirth benefit from the State Social Insurance Agency; it is lost "
                    "if not claimed within "
                    f"{rates.childbirth_benefit_apply_months.value} months of the birth.",
                    eligible_because=because,
                    action_url=VSAA_URL,
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
                    title="Family state benefit",
                    explanation=f"{child.name} turns one on {first_birthday:%d.%m.%Y}. The "
                    "family state benefit is paid from the first birthday; you may apply "
                    "right after the birth, and applying later than "
                    f"{rates.family_benefit_apply_months_after_first_birthday.value} months "
                    "after the first birthday loses the months before.",
                    eligible_because=because,
                    action_url=VSAA_URL,
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
            title="Large-family card (3+ Ģimenes karte)",
            explanation=f"The Population Register lists {len(minors)} children under "
            f"{rates.large_family_child_max_age.value} for you. Families with "
            f"{rates.large_family_min_children.value} or more children may get the 3+ card: "
            "discounts in shops, transport and state services.",
            eligible_because=(
                Eligibility(f"Children under {max_age}", str(len(minors))),
                Eligibility("Born", years),
                Eligibility("Source", "Population Register"),
            ),
            action_url="https://www.3plus.lv/",
        )
    )
    return findings
