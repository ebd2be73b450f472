"""Every rule, registered in one place, and the evaluation that runs them.

A rule that raises `SkipRule` yields nothing and leaves a note; a rule that fails for any other
reason (a bug) is logged by type and also leaves a note, so one broken rule never hides the
others and never shows a half-computed date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from backend.lib.texts import N_, Text
from backend.obligations.rules import (
    company_reports,
    documents,
    family,
    income_tax,
    life_events,
    pension,
    real_estate,
    residence,
    vat,
    vehicles,
)
from backend.obligations.rules.base import (
    CompanyContext,
    Finding,
    Obligation,
    Opportunity,
    PersonContext,
    Skipped,
    SkipReason,
    SkipRule,
)

log = logging.getLogger("vienuviet.obligations")

C = TypeVar("C", PersonContext, CompanyContext)


@dataclass(frozen=True)
class RuleSpec(Generic[C]):
    id: str
    run: Callable[[C], Sequence[Finding]]
    summary: str


PERSON_RULES: tuple[RuleSpec[PersonContext], ...] = (
    RuleSpec("identity_documents", documents.identity_documents, "passport / eID expiry; none"),
    RuleSpec("driving_licence", vehicles.driving_licence, "driving licence expiry"),
    RuleSpec("vehicles", vehicles.vehicles, "technical inspection and OCTA"),
    RuleSpec("income_declaration", income_tax.income_declaration, "declaration and payment"),
    RuleSpec("real_estate_tax", real_estate.real_estate_tax, "instalments, late interest"),
    RuleSpec("residence", residence.new_residence, "declare within a month of moving"),
    RuleSpec("after_birth", family.after_birth, "childbirth and family state benefit"),
    RuleSpec("large_family", family.large_family, "3+ family card"),
    RuleSpec("turning_18", life_events.turning_18, "new rights and duties"),
    RuleSpec("pension_age", life_events.pension_age, "state pension age approaching"),
    RuleSpec("pension_fund_change", pension.fund_change, "2nd pillar fund change"),
)

RESIDENTS_ONLY = frozenset(
    {"identity_documents", "residence", "after_birth", "large_family", "turning_18"}
    | {"pension_age", "pension_fund_change"}
)
"""Duties and benefits of people who live in Latvia: the compulsory eID card of citizens and
non-citizens (Personal Identification Documents Law), declaring a residence (Declaration of
Residence Law), family benefits and the 3+ card, coming of age, the state pension and its 2nd
pillar. Everyone who lives in Latvia is in the Register of Natural Persons and has a personal
code (Natural Persons Register Law), so a person who logs in with a foreign eID and has no
personal code does not live here: these rules are not run for them at all — neither a finding
nor a "could not check" note, which would tell a non-resident about duties that are not
theirs. Rules that can concern a non-resident (property, vehicles, income from Latvia) still
say what could not be checked."""

COMPANY_RULES: tuple[RuleSpec[CompanyContext], ...] = (
    RuleSpec("annual_report", company_reports.annual_report, "annual report, 5 or 7 months"),
    RuleSpec("vat", vat.vat, "VAT returns and payments"),
    RuleSpec("employer_report", company_reports.employer_report, "employer's monthly report"),
)


@dataclass(frozen=True)
class Evaluation:
    obligations: tuple[Obligation, ...]
    opportunities: tuple[Opportunity, ...]
    skipped: tuple[Skipped, ...]


def evaluate(rules: Sequence[RuleSpec[C]], ctx: C) -> Evaluation:
    """Run every rule on `ctx`; obligations sorted by due date."""
    obligations: list[Obligation] = []
    opportunities: list[Opportunity] = []
    skipped: list[Skipped] = []
    for spec in rules:
        try:
            findings = spec.run(ctx)
        except SkipRule as skip:
            skipped.append(Skipped(spec.id, skip.reason, skip.source, skip.message))
            continue
        except Exception as exc:  # a bug in one rule must not hide the others
            log.error("obligation rule %s failed with %s", spec.id, type(exc).__name__)
            skipped.append(
                Skipped(
                    spec.id,
                    SkipReason.RULE_FAILED,
                    None,
                    Text(N_("We could not check this because of an error on our side.")),
                )
            )
            continue
        for finding in findings:
            if isinstance(finding, Obligation):
                obligations.append(finding)
            elif isinstance(finding, Opportunity):
                opportunities.append(finding)
            else:
                skipped.append(finding)
    obligations.sort(key=lambda item: (item.due_date, item.id))
    return Evaluation(tuple(obligations), tuple(opportunities), tuple(skipped))


def evaluate_person(ctx: PersonContext) -> Evaluation:
    if ctx.facts.personal_code is None:  # not a resident: see RESIDENTS_ONLY
        return evaluate([r for r in PERSON_RULES if r.id not in RESIDENTS_ONLY], ctx)
    return evaluate(PERSON_RULES, ctx)


def evaluate_company(ctx: CompanyContext) -> Evaluation:
    return evaluate(COMPANY_RULES, ctx)
