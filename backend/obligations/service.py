"""Obligations for one subject: facts in, rules run, the person's marks applied.

Facts come through a small protocol, `FactsSource`, which the dashboard implements; until it is
wired, `FactsNotConnected` answers every source as unavailable, so every rule says "we could
not check" instead of guessing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from backend.auth.people import PersonRecord
from backend.dashboard.facts import CompanyFacts, Fact, PersonFacts, SourceStatus
from backend.lib import db
from backend.lib.errors import BadInput, NotFound
from backend.lib.identifiers import birth_date_from_personal_code
from backend.lib.time import riga_today, utcnow
from backend.obligations.rates import DEFAULT_RATES, Rates
from backend.obligations.registry import Evaluation, evaluate_company, evaluate_person
from backend.obligations.rules.base import CompanyContext, Obligation, PersonContext
from backend.obligations.tables import ObligationMark, ReportedMove


class FactsSource(Protocol):
    async def person_facts(self, person: PersonRecord) -> PersonFacts: ...

    async def company_facts(self, registration_number: str) -> CompanyFacts: ...


def _unavailable() -> Fact[Any]:
    return Fact(None, SourceStatus.UNAVAILABLE)


class FactsNotConnected:
    """Every source unavailable: for an `Obligations` built without the dashboard (unit tests);
    `Services.build` wires in the dashboard's facts."""

    async def person_facts(self, person: PersonRecord) -> PersonFacts:
        code = person.personal_code
        return PersonFacts(
            personal_code=code,
            birth_date=(birth_date_from_personal_code(code) if code else None) or person.birth_date,
            declared_address=_unavailable(),
            declared_at_my_properties=_unavailable(),
            identity_documents=_unavailable(),
            children=_unavailable(),
            pension=_unavailable(),
            family_doctor=_unavailable(),
            vehicles=_unavailable(),
            driving_licence=_unavailable(),
            properties=_unavailable(),
            tax_account=_unavailable(),
            real_estate_tax=_unavailable(),
            income_declaration=_unavailable(),
        )

    async def company_facts(self, registration_number: str) -> CompanyFacts:
        return CompanyFacts(registration_number, _unavailable(), _unavailable())


@dataclass(frozen=True)
class SubjectRef:
    """Whose obligations: a person (their record) or a company (its registration number)."""

    key: str
    person: PersonRecord | None = None
    company_number: str | None = None

    @classmethod
    def of_person(cls, person: PersonRecord) -> SubjectRef:
        return cls(person.subject_key, person=person)

    @classmethod
    def of_company(cls, number: str) -> SubjectRef:
        return cls(f"company:{number}", company_number=number)


@dataclass
class Obligations:
    """The feature's dependencies, built once per process (`Services.obligations`)."""

    facts: FactsSource = field(default_factory=FactsNotConnected)
    rates: Rates = DEFAULT_RATES
    clock: Callable[[], datetime] = utcnow
    """Now (aware UTC); tests pin it. Today is always derived in Riga."""

    def today(self) -> date:
        return riga_today(self.clock())


@dataclass(frozen=True)
class Mark:
    done: bool
    snoozed_until: date | None
    acknowledged: bool


@dataclass(frozen=True)
class View:
    """What a person sees for a subject: marks applied, done and snoozed obligations hidden."""

    today: date
    obligations: tuple[Obligation, ...]
    evaluation: Evaluation
    marks: dict[str, Mark]

    def acknowledged(self, obligation: Obligation) -> bool:
        mark = self.marks.get(obligation.occurrence)
        return bool(mark and mark.acknowledged)


async def moved_on(person_id: uuid.UUID) -> date | None:
    row = await (
        ReportedMove.select(ReportedMove.moved_on)
        .where(ReportedMove.person == person_id)
        .first()
        .run()
    )
    return None if row is None else row["moved_on"]


async def evaluate_subject(obligations: Obligations, subject: SubjectRef) -> Evaluation:
    """Every rule for `subject` today, marks not applied."""
    today = obligations.today()
    if subject.person is not None:
        facts = await obligations.facts.person_facts(subject.person)
        ctx = PersonContext(
            subject.key,
            facts,
            today,
            obligations.rates,
            moved_on=await moved_on(subject.person.id),
        )
        return evaluate_person(ctx)
    assert subject.company_number is not None
    company = await obligations.facts.company_facts(subject.company_number)
    return evaluate_company(CompanyContext(subject.key, company, today, obligations.rates))


async def marks_for(subject_key: str) -> dict[str, Mark]:
    rows = await ObligationMark.select().where(ObligationMark.subject_key == subject_key).run()
    return {
        row["occurrence"]: Mark(
            done=row["done_at"] is not None,
            snoozed_until=row["snoozed_until"],
            acknowledged=row["acknowledged_at"] is not None,
        )
        for row in rows
    }


def hidden(mark: Mark | None, today: date) -> bool:
    return mark is not None and (
        mark.done or (mark.snoozed_until is not None and mark.snoozed_until > today)
    )


async def current(obligations: Obligations, subject: SubjectRef) -> View:
    evaluation = await evaluate_subject(obligations, subject)
    marks = await marks_for(subject.key)
    today = obligations.today()
    shown = tuple(o for o in evaluation.obligations if not hidden(marks.get(o.occurrence), today))
    return View(today, shown, evaluation, marks)


async def find(obligations: Obligations, subject: SubjectRef, obligation_id: str) -> Obligation:
    """The subject's obligation with this id (marks not applied); NotFound otherwise — also for
    another subject's id, which never matches this subject's obligations."""
    evaluation = await evaluate_subject(obligations, subject)
    for obligation in evaluation.obligations:
        if obligation.id == obligation_id:
            return obligation
    raise NotFound("No such obligation.")


async def _upsert_mark(
    obligation: Obligation, by: PersonRecord, engine: Any, **values: Any
) -> None:
    now = utcnow()
    async with db.transaction(engine):
        existing = await (
            ObligationMark.select(ObligationMark.id)
            .where(ObligationMark.occurrence == obligation.occurrence)
            .first()
            .run()
        )
        if existing is None:
            async with db.unique_violation("mark exists"):
                await ObligationMark.insert(
                    ObligationMark(
                        occurrence=obligation.occurrence,
                        subject_key=obligation.subject_key,
                        obligation_id=obligation.id,
                        marked_by=by.id,
                        updated_at=now,
                        **values,
                    )
                ).run()
        else:
            await (
                ObligationMark.update(
                    {
                        ObligationMark.marked_by: by.id,
                        ObligationMark.updated_at: now,
                        **{getattr(ObligationMark, name): value for name, value in values.items()},
                    }
                )
                .where(ObligationMark.id == existing["id"])
                .run()
            )


def _self_confirmed(obligation: Obligation) -> None:
    if obligation.state_confirms:
        raise BadInput(
            "The registries confirm this one themselves; it cannot be marked by hand.",
            code="confirmed_by_state",
        )


async def mark_done(
    obligations: Obligations,
    subject: SubjectRef,
    obligation_id: str,
    *,
    by: PersonRecord,
    engine: Any,
) -> Obligation:
    obligation = await find(obligations, subject, obligation_id)
    _self_confirmed(obligation)
    await _upsert_mark(obligation, by, engine, done_at=utcnow())
    return obligation


async def snooze(
    obligations: Obligations,
    subject: SubjectRef,
    obligation_id: str,
    until: date,
    *,
    by: PersonRecord,
    engine: Any,
) -> Obligation:
    """Hide an obligation until `until` (after today, at the latest its due date)."""
    obligation = await find(obligations, subject, obligation_id)
    _self_confirmed(obligation)
    if until <= obligations.today():
        raise BadInput("Snooze until a day after today.", code="not_in_future")
    if until > obligation.due_date:
        raise BadInput("A deadline cannot be snoozed past its due date.", code="after_due_date")
    await _upsert_mark(obligation, by, engine, snoozed_until=until)
    return obligation


async def acknowledge(
    obligations: Obligations,
    subject: SubjectRef,
    obligation_id: str,
    *,
    by: PersonRecord,
    engine: Any,
) -> Obligation:
    """The person has seen it: no escalation to a stronger channel for this occurrence."""
    obligation = await find(obligations, subject, obligation_id)
    await _upsert_mark(obligation, by, engine, acknowledged_at=utcnow())
    return obligation


async def report_move(person: PersonRecord, moved: date, today: date, engine: Any) -> None:
    """Remember the person's move (replacing an earlier one): the residence rule uses it."""
    if moved > today:
        raise BadInput("A move can be reported once it has happened.", code="in_future")
    if (today - moved).days > 366:
        raise BadInput("That move is more than a year ago.", code="too_old")
    async with db.transaction(engine):
        await ReportedMove.delete().where(ReportedMove.person == person.id).run()
        await ReportedMove.insert(ReportedMove(person=person.id, moved_on=moved)).run()
