"""Which registry fact prefills which answer, and where it came from.

A form field names a fact (`prefill: population_register.declared_address`); `prefill` reads it
from the person's `PersonFacts` — which the dashboard's loader builds, so only sources the
person consented to are read and every read is in their data-access log — and says its
source and as-of time ("Population Register, as of 5 December 2026"). Pure: facts in, answers
out; the tests give it facts built by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from backend.dashboard.facts import Fact, PersonFacts, SourceStatus
from backend.lib.texts import N_, Text

USABLE = (SourceStatus.OK, SourceStatus.STALE)

SOURCE_NAMES = {
    "population_register": N_("Population Register (Office of Citizenship and Migration Affairs)"),
    "nhs": N_("National Health Service"),
    "csdd": N_("Road Traffic Safety Directorate (CSDD)"),
    "identity": N_("your login"),
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Prefilled:
    value: str
    display: str
    source: str
    """A key of SOURCE_NAMES."""
    as_of: datetime | None


@dataclass(frozen=True)
class FactReading:
    value: Prefilled | None
    options: tuple[Choice, ...]
    status: SourceStatus


Reader = Callable[[PersonFacts, str], FactReading]


def _fact_status(fact: Fact[object]) -> SourceStatus:
    return fact.status


def _children(facts: PersonFacts, name: str) -> FactReading:
    fact = facts.children
    if fact.status not in USABLE or not fact.value:
        return FactReading(None, (), fact.status)
    kids = sorted(fact.value, key=lambda c: c.birth_date, reverse=True)
    options = tuple(Choice(c.personal_code, f"{c.name} ({c.birth_date.isoformat()})") for c in kids)
    newest = kids[0]
    value = Prefilled(newest.personal_code, options[0].label, "population_register", fact.as_of)
    return FactReading(value if name.endswith(".newest") else None, options, fact.status)


def _address(facts: PersonFacts, _: str) -> FactReading:
    fact = facts.declared_address
    if fact.status not in USABLE or fact.value is None:
        return FactReading(None, (), fact.status)
    address = fact.value.address
    return FactReading(
        Prefilled(address, address, "population_register", fact.as_of), (), fact.status
    )


def _doctor(facts: PersonFacts, _: str) -> FactReading:
    fact = facts.family_doctor
    if fact.status not in USABLE or fact.value is None:
        return FactReading(None, (), fact.status)
    d = fact.value
    shown = f"{d.doctor_name}, {d.practice_name}"
    return FactReading(Prefilled(shown, shown, "nhs", fact.as_of), (), fact.status)


def _vehicles(facts: PersonFacts, _: str) -> FactReading:
    fact = facts.vehicles
    if fact.status not in USABLE or not fact.value:
        return FactReading(None, (), fact.status)
    options = tuple(Choice(v.plate, f"{v.plate} — {v.make} {v.model}") for v in fact.value)
    return FactReading(None, options, fact.status)


FACTS: dict[str, Reader] = {
    "population_register.children": _children,
    "population_register.children.newest": _children,
    "population_register.declared_address": _address,
    "nhs.family_doctor": _doctor,
    "csdd.vehicles": _vehicles,
}
"""The facts a form may name. A new one is a reader here (and a test)."""


def read_fact(facts: PersonFacts, name: str) -> FactReading:
    return FACTS[name](facts, name)


def source_text(prefilled: Prefilled) -> Text:
    """ "Population Register (…), as of 5 December 2026" in the reader's language."""
    name = Text(SOURCE_NAMES[prefilled.source])
    if prefilled.as_of is None:
        return name
    return Text(N_("{source}, as of {day}"), source=name, day=prefilled.as_of.date())


def newest_child_born(facts: PersonFacts) -> tuple[str, str, date] | None:
    """(personal code, name, birth date) of the youngest child the register knows, if usable."""
    fact = facts.children
    if fact.status not in USABLE or not fact.value:
        return None
    child = max(fact.value, key=lambda c: c.birth_date)
    return child.personal_code, child.name, child.birth_date
