"""What rules take and give: contexts in, obligations / opportunities / skipped notes out.

A rule is a small pure function of the registry facts and today's date. When a fact it needs
is missing or inconsistent it yields nothing for that item and says why (`Skipped`): a
person is told "we could not check X", never given a wrong date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from backend.dashboard.facts import CompanyFacts, Fact, PersonFacts, SourceStatus
from backend.lib.texts import EMPTY, N_, Text
from backend.obligations.rates import DEFAULT_RATES, Rates

T = TypeVar("T")


class SkipReason(StrEnum):
    SOURCE_UNAVAILABLE = "source_unavailable"
    """The registry could not be asked (or failed) and nothing is known."""
    NOT_APPLICABLE = "not_applicable"
    """The registry cannot answer for this subject (no Latvian personal code)."""
    WITHHELD = "withheld"
    """The person withdrew consent for this source."""
    MISSING_FACT = "missing_fact"
    """A fact the rule needs is absent (e.g. no birth date)."""
    INCONSISTENT = "inconsistent"
    """The registry's answer contradicts itself or the calendar; no date is computed from it."""
    RULE_FAILED = "rule_failed"
    """The rule itself failed (a bug): logged by type, nothing is shown from it."""


_STATUS_REASON = {
    SourceStatus.UNAVAILABLE: SkipReason.SOURCE_UNAVAILABLE,
    SourceStatus.NOT_APPLICABLE: SkipReason.NOT_APPLICABLE,
    SourceStatus.WITHHELD: SkipReason.WITHHELD,
}


@dataclass(frozen=True)
class Skipped:
    rule: str
    reason: SkipReason
    source: str | None
    message: Text
    """For the person: what we could not check, never a personal code or registry payload."""


class SkipRule(Exception):
    """Raised inside a rule: the rule yields nothing and the registry records `Skipped`."""

    def __init__(self, reason: SkipReason, source: str | None, message: Text) -> None:
        super().__init__(message.msgid)
        self.reason = reason
        self.source = source
        self.message = message


@dataclass(frozen=True)
class Obligation:
    id: str
    """Stable across days and due-date changes of the same thing: calendar UIDs use it."""
    rule: str
    subject_key: str
    title: Text
    due_date: date
    """The deadline after the working-day shift (or the validity end, which never moves)."""
    legal_basis: Text
    action_url: str
    description: Text = EMPTY
    statutory_date: date | None = None
    """The date the law names, when the working-day shift moved it."""
    window_opens: date | None = None
    amount: Decimal | None = None
    late_interest: Decimal | None = None
    """Accrued late interest, shown once the deadline has passed."""
    legal_deadline: bool = True
    """Missing it breaks the law (escalated when close and unacknowledged)."""
    state_confirms: bool = True
    """The registries will show when it is done; False: the person marks it done."""
    ladder: tuple[int, ...] = ()
    """Reminder steps, days before `due_date`."""
    immediate: bool = False
    """Due now, with no date of its own (e.g. a vehicle without compulsory insurance):
    `due_date` is today, and one occurrence spans the days until it is resolved."""

    @property
    def occurrence(self) -> str:
        """This obligation at this due date: a moved date is a new occurrence (reminders and
        "done" marks are per occurrence; calendar UIDs per obligation)."""
        return f"{self.id}:{'now' if self.immediate else self.due_date.isoformat()}"

    def days_left(self, today: date) -> int:
        return (self.due_date - today).days


@dataclass(frozen=True)
class Eligibility:
    label: Text
    value: Text | str
    """A Text, or a value from a registry shown as it is (a name)."""


@dataclass(frozen=True)
class Opportunity:
    id: str
    rule: str
    subject_key: str
    title: Text
    explanation: Text
    """"Why am I seeing this": which facts made the person eligible and where they come from."""
    eligible_because: tuple[Eligibility, ...]
    action_url: str
    apply_by: date | None = None
    amount: Decimal | None = None


Finding = Obligation | Opportunity | Skipped


@dataclass(frozen=True)
class PersonContext:
    subject_key: str
    facts: PersonFacts
    today: date
    rates: Rates = DEFAULT_RATES
    moved_on: date | None = None
    """A move the person told us about (the registries cannot know it before they declare)."""

    @property
    def horizon(self) -> date:
        return self.today + timedelta(days=self.rates.horizon_days.value)


@dataclass(frozen=True)
class CompanyContext:
    subject_key: str
    facts: CompanyFacts
    today: date
    rates: Rates = DEFAULT_RATES

    @property
    def horizon(self) -> date:
        return self.today + timedelta(days=self.rates.horizon_days.value)


def need(fact: Fact[T], source: str, what: Text) -> T | None:
    """The fact's value (None: the registry says there is none); SkipRule when it could not be
    asked. `what` names the fact for the person: "your identity documents" (its translations
    are the object of "we could not check …")."""
    if fact.status in (SourceStatus.OK, SourceStatus.STALE):
        return fact.value
    reason = _STATUS_REASON.get(fact.status, SkipReason.SOURCE_UNAVAILABLE)
    if reason is SkipReason.NOT_APPLICABLE:
        message = Text(
            N_("We could not check {what}: the registry knows people by Latvian personal code."),
            what=what,
        )
    elif reason is SkipReason.WITHHELD:
        message = Text(
            N_("We did not check {what}: you withdrew consent for this registry."), what=what
        )
    else:
        message = Text(N_("We could not check {what}: the registry did not answer."), what=what)
    raise SkipRule(reason, source, message)


def stable_id(prefix: str, subject_key: str, *parts: object) -> str:
    """An opaque id from the subject, the rule and the item (no personal data readable in it)."""
    text = "|".join([subject_key, prefix, *(str(part) for part in parts)])
    family = prefix.split(".", maxsplit=1)[0][:12]
    return f"{family}-{hashlib.sha256(text.encode()).hexdigest()[:24]}"


PersonRule = Callable[[PersonContext], Sequence[Finding]]
CompanyRule = Callable[[CompanyContext], Sequence[Finding]]
