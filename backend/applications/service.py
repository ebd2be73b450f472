"""Applications: drafts, idempotent submission, prepared (zero-contact) applications, timeline.

Callers authorize first (the GraphQL layer: may the viewer act for the subject with scope
`apply`); these functions take the subject key they were given and never widen it. Every
status change writes its timeline step and the domain event `applications.status_changed`
(payload: ids and the status only) in the same transaction, which the notification centre's
consumer turns into notices in the category "my applications".
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from backend.applications.forms import FormDef, load_forms, validate
from backend.applications.machine import (
    EDITABLE,
    Actor,
    InvalidTransition,
    Outcome,
    Status,
    Step,
    transition,
)
from backend.applications.prefill import Prefilled, newest_child_born, read_fact
from backend.applications.tables import Application, ApplicationEvent, ApplicationMessage
from backend.dashboard.facts import PersonFacts
from backend.events.service import record_event
from backend.lib.db import is_unique_violation, transaction
from backend.lib.errors import BadInput, NotFound
from backend.lib.texts import N_, Text
from backend.lib.time import as_utc, utcnow
from backend.obligations.calendar import add_months

EVENT = "applications.status_changed"
MAX_KEY = 64


class FormInvalid(BadInput):
    """Answers that do not pass the form's validation: errors by field id."""

    def __init__(self, errors: Mapping[str, Text]) -> None:
        super().__init__("Some answers need correcting.", code="invalid_answers")
        self.errors = dict(errors)


@dataclass(frozen=True)
class ApplicationRecord:
    id: uuid.UUID
    subject_key: str
    service: str
    status: Status
    outcome: Outcome | None
    answers: dict[str, str]
    sources: dict[str, dict[str, str]]
    reasons: list[Text]
    respond_by: date | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    client_key: str | None = None
    steps: list[Step] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ApplicationRecord:
        reasons = [Text.from_json(r) for r in json.loads(row["reasons"] or "[]")]
        return cls(
            id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
            subject_key=row["subject_key"],
            service=row["service"],
            status=Status(row["status"]),
            outcome=Outcome(row["outcome"]) if row["outcome"] else None,
            answers=json.loads(row["answers"] or "{}"),
            sources=json.loads(row["sources"] or "{}"),
            reasons=reasons,
            respond_by=row["respond_by"],
            created_at=as_utc(row["created_at"]),
            updated_at=as_utc(row["updated_at"]),
            submitted_at=as_utc(row["submitted_at"]) if row["submitted_at"] else None,
            client_key=row["client_key"],
        )


@dataclass(frozen=True)
class PersonalForm:
    """A form as this person sees it: choices from their facts, prefilled answers and which
    of them the law does not let them change."""

    form: FormDef
    options: dict[str, tuple[tuple[str, str], ...]]
    """field id → (value, label) choices from the person's facts."""
    prefilled: dict[str, Prefilled]
    locked: dict[str, str]


def personal_form(form: FormDef, facts: PersonFacts | None) -> PersonalForm:
    """`form` with this person's facts applied (None: a company, which has no such facts)."""
    options: dict[str, tuple[tuple[str, str], ...]] = {}
    prefilled: dict[str, Prefilled] = {}
    for f in form.fields:
        if facts is None:
            continue
        if f.options_from:
            reading = read_fact(facts, f.options_from)
            options[f.id] = tuple((c.value, c.label) for c in reading.options)
        if f.prefill:
            value = read_fact(facts, f.prefill).value
            if value is not None:
                prefilled[f.id] = value
    locked = {
        f.id: prefilled[f.id].value for f in form.fields if not f.editable and f.id in prefilled
    }
    return PersonalForm(form, options, prefilled, locked)


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.replace("-", "").replace("_", "").isalnum():
        raise BadInput(
            "The form's key is missing or malformed; reload the form.", code="invalid_key"
        )
    return key


def _sources(personal: PersonalForm, answers: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """For each answer that is still what the register said: its source and as-of time."""
    kept: dict[str, dict[str, str]] = {}
    for field_id, pre in personal.prefilled.items():
        if answers.get(field_id) == pre.value:
            kept[field_id] = {
                "source": pre.source,
                "as_of": pre.as_of.isoformat() if pre.as_of else "",
                "display": pre.display,
            }
    return kept


async def _step(
    app_id: uuid.UUID,
    subject_key: str,
    step: Step,
    person_id: uuid.UUID | None,
) -> None:
    await ApplicationEvent.insert(
        ApplicationEvent(
            id=uuid.uuid4(),
            application=app_id,
            at=step.at,
            from_status=step.from_status.value if step.from_status else None,
            to_status=step.to_status.value,
            actor=step.actor.value,
            actor_person=person_id,
            note=step.note,
            outcome=step.outcome.value if step.outcome else None,
        )
    ).run()
    if step.to_status is not Status.DRAFT:
        await record_event(
            EVENT,
            subject_key,
            {"application_id": str(app_id), "status": step.to_status.value},
            dedup_key=f"{app_id}:{step.to_status.value}:{step.at.isoformat()}",
        )


async def load(app_id: uuid.UUID, *, with_steps: bool = False) -> ApplicationRecord | None:
    row = await Application.select().where(Application.id == app_id).first().run()
    if row is None:
        return None
    record = ApplicationRecord.from_row(row)
    if with_steps:
        record.steps.extend(await timeline(app_id))
    return record


async def timeline(app_id: uuid.UUID) -> list[Step]:
    return (await timelines([app_id]))[app_id]


async def timelines(app_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Step]]:
    """The timelines of several applications in two queries (an institution's page of 100)."""
    found: dict[uuid.UUID, list[Step]] = {app_id: [] for app_id in app_ids}
    if not app_ids:
        return found
    rows = await ApplicationEvent.select().where(ApplicationEvent.application.is_in(app_ids)).run()
    sent = {
        str(m["event"]): m
        for m in await ApplicationMessage.select(
            ApplicationMessage.event, ApplicationMessage.message_id,
            ApplicationMessage.deemed_delivered_on,
        ).where(ApplicationMessage.application.is_in(app_ids))
    }  # fmt: skip
    # A draft submitted at once writes two steps with one time: the creating step comes first.
    rows.sort(key=lambda r: (as_utc(r["at"]), r["from_status"] is not None, str(r["id"])))
    for r in rows:
        message = sent.get(str(r["id"]))
        found[_uuid(r["application"])].append(
            Step(
                at=as_utc(r["at"]),
                from_status=Status(r["from_status"]) if r["from_status"] else None,
                to_status=Status(r["to_status"]),
                actor=Actor(r["actor"]),
                note=r["note"] or "",
                outcome=Outcome(r["outcome"]) if r["outcome"] else None,
                message_id=_uuid(message["message_id"]) if message else None,
                deemed_delivered_on=message["deemed_delivered_on"] if message else None,
            )
        )
    return found


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def list_for(subject_key: str, *, limit: int = 100) -> list[ApplicationRecord]:
    rows = await (
        Application.select()
        .where(Application.subject_key == subject_key)
        .order_by(Application.updated_at, ascending=False)
        .limit(limit)
        .run()
    )
    return [ApplicationRecord.from_row(r) for r in rows]


async def _by_key(subject_key: str, key: str) -> ApplicationRecord | None:
    row = await (
        Application.select()
        .where((Application.subject_key == subject_key) & (Application.client_key == key))
        .first()
        .run()
    )
    return ApplicationRecord.from_row(row) if row else None


async def save(  # noqa: PLR0912 - the idempotency cases are clearest side by side
    subject_key: str,
    person_id: uuid.UUID,
    personal: PersonalForm,
    answers: Mapping[str, str],
    key: str,
    *,
    submit: bool,
    today: date,
) -> ApplicationRecord:
    """Save a draft (`submit=False`) or submit, keyed by the form's one-time `key`.

    The same key again is the same application: a second submit of a submitted one answers it
    unchanged (a double tap gives one application); saving a draft over a submitted one is
    refused (`already_submitted`). Invalid answers raise FormInvalid (a draft tolerates only
    missing ones)."""
    key = _check_key(key)
    form = personal.form
    # What the law takes from the register is the register's: an answer left out is taken
    # from it, a different one is refused (validate).
    answers = {**personal.locked, **answers}
    options = {k: tuple(v for v, _ in opts) for k, opts in personal.options.items()}
    clean, errors = validate(
        form, answers, today=today, options=options, locked=personal.locked, complete=submit
    )
    if errors:
        raise FormInvalid(errors)
    existing = await _by_key(subject_key, key)
    if existing is not None and existing.service != form.service:
        raise BadInput("This form's key belongs to another application.", code="invalid_key")
    if existing is not None and existing.status not in EDITABLE:
        if submit:
            return existing
        raise BadInput("This application was already sent.", code="already_submitted")
    now = utcnow()
    sources = _sources(personal, clean)
    target = Status.SUBMITTED if submit else Status.DRAFT
    try:
        async with transaction(Application._meta.db):
            if existing is None:
                app_id = uuid.uuid4()
                await Application.insert(
                    Application(
                        id=app_id,
                        subject_key=subject_key,
                        service=form.service,
                        status=target.value,
                        answers=json.dumps(clean),
                        sources=json.dumps(sources),
                        client_key=key,
                        created_by=person_id,
                        created_at=now,
                        updated_at=now,
                        submitted_at=now if submit else None,
                    )
                ).run()
                await _step(
                    app_id, subject_key, Step(now, None, Status.DRAFT, Actor.PERSON), person_id
                )
                if submit:
                    step = transition(Status.DRAFT, Status.SUBMITTED, Actor.PERSON, at=now)
                    await _step(app_id, subject_key, step, person_id)
            else:
                app_id = existing.id
                values: dict[Any, Any] = {
                    Application.answers: json.dumps(clean),
                    Application.sources: json.dumps(sources),
                    Application.updated_at: now,
                }
                if submit:
                    values[Application.status] = Status.SUBMITTED.value
                    values[Application.submitted_at] = now
                # Compare-and-set on the status: of two taps on one draft, one sends it.
                changed = await (
                    Application.update(values)
                    .where((Application.id == app_id) & (Application.status == Status.DRAFT.value))
                    .returning(Application.id)
                    .run()
                )
                if changed and submit:
                    step = transition(Status.DRAFT, Status.SUBMITTED, Actor.PERSON, at=now)
                    await _step(app_id, subject_key, step, person_id)
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        # Another tap inserted this key first: answer with what it made.
        app_id = (await _by_key(subject_key, key) or _missing()).id
    record = await load(app_id)
    if record is None:  # pragma: no cover - deleted under our feet
        raise NotFound("No such application.")
    if not submit and record.status is not Status.DRAFT:
        raise BadInput("This application was already sent.", code="already_submitted")
    return record


def _missing() -> ApplicationRecord:
    raise NotFound("No such application.")


async def confirm_prepared(
    record: ApplicationRecord,
    person_id: uuid.UUID,
    personal: PersonalForm,
    answers: Mapping[str, str],
    *,
    today: date,
) -> ApplicationRecord:
    """The person confirms what the state prepared, adding what the registers cannot know
    (an account number). The prepared answers the law fixes stay as they were prepared.
    Confirming twice is one submission."""
    if record.status is Status.SUBMITTED or record.status not in (Status.PREPARED,):
        if record.status is Status.SUBMITTED:
            return record
        raise BadInput(
            "This application is no longer waiting for confirmation.", code="not_prepared"
        )
    # The prepared answers the law fixes stay as prepared; the rest the person may complete.
    # What it was prepared about (the child chosen from the register) is fixed as well.
    fixed = {
        f.id
        for f in personal.form.fields
        if f.id in record.answers and (not f.editable or f.options_from)
    }
    locked = {**personal.locked, **{k: v for k, v in record.answers.items() if k in fixed}}
    merged = {**record.answers, **locked, **answers}
    options = {k: tuple(v for v, _ in opts) for k, opts in personal.options.items()}
    clean, errors = validate(personal.form, merged, today=today, options=options, locked=locked)
    if errors:
        raise FormInvalid(errors)
    return await _move(
        record,
        Status.SUBMITTED,
        person_id,
        values={
            Application.answers: json.dumps(clean),
            Application.sources: json.dumps({**record.sources, **_sources(personal, clean)}),
        },
        note="",
    )


async def decline_prepared(
    record: ApplicationRecord, person_id: uuid.UUID, note: str
) -> ApplicationRecord:
    """ "This is wrong" (or "I do not want it"): the prepared application is declined with the
    person's words, which the timeline keeps."""
    note = note.strip()
    if len(note) > 1000:
        raise BadInput("Say it in at most 1000 characters.", code="note_too_long")
    if record.status is Status.DECLINED:
        return record
    return await _move(record, Status.DECLINED, person_id, values={}, note=note)


async def provide_information(
    record: ApplicationRecord, person_id: uuid.UUID, note: str
) -> ApplicationRecord:
    """The person answers the institution's question: back to processing."""
    note = note.strip()
    if not note or len(note) > 2000:
        raise BadInput("Write your answer (at most 2000 characters).", code="invalid_note")
    return await _move(record, Status.IN_PROGRESS, person_id, values={}, note=note)


async def move(
    record: ApplicationRecord,
    target: Status,
    actor: Actor,
    *,
    note: str = "",
    outcome: Outcome | None = None,
) -> ApplicationRecord:
    """An institution's (or the system's) step, e.g. received → in progress → decided."""
    return await _move(record, target, None, values={}, note=note, actor=actor, outcome=outcome)


async def _move(
    record: ApplicationRecord,
    target: Status,
    person_id: uuid.UUID | None,
    *,
    values: dict[Any, Any],
    note: str,
    actor: Actor = Actor.PERSON,
    outcome: Outcome | None = None,
) -> ApplicationRecord:
    now = utcnow()
    try:
        step = transition(record.status, target, actor, at=now, note=note, outcome=outcome)
    except InvalidTransition as exc:
        raise BadInput(
            "This step is not possible for the application now.", code="invalid_transition"
        ) from exc
    values = {**values, Application.status: target.value, Application.updated_at: now}
    if target is Status.SUBMITTED:
        values[Application.submitted_at] = now
    if outcome is not None:
        values[Application.outcome] = outcome.value
    async with transaction(Application._meta.db):
        changed = await (
            Application.update(values)
            .where((Application.id == record.id) & (Application.status == record.status.value))
            .returning(Application.id)
            .run()
        )
        if changed:
            await _step(record.id, record.subject_key, step, person_id)
    fresh = await load(record.id)
    if fresh is None:  # pragma: no cover
        raise NotFound("No such application.")
    if not changed and fresh.status is not target:
        raise BadInput("The application changed meanwhile; look at it again.", code="conflict")
    return fresh


# ── zero-contact ─────────────────────────────────────────────────────────────────────────


def _fact_key(service: str, fact: str) -> str:
    return f"{service}:{hashlib.sha256(fact.encode()).hexdigest()[:32]}"


async def prepare_for(subject_key: str, facts: PersonFacts, *, today: date) -> list[uuid.UUID]:
    """Prepare the applications the facts make this person eligible for (once per fact):
    a child born within a benefit's legal deadline → that benefit, ready to confirm. Returns
    the ids prepared now (none when they exist already)."""
    born = newest_child_born(facts)
    made: list[uuid.UUID] = []
    if born is None:
        return made
    code, name, birth = born
    for form in load_forms().values():
        if form.proactive is None or form.proactive.trigger != "child_born":
            continue
        deadline = add_months(birth, form.proactive.within_months)
        if not birth <= today <= deadline:
            continue
        personal = personal_form(form, facts)
        answers = {fid: pre.value for fid, pre in personal.prefilled.items()}
        for f in form.fields:
            if f.default and f.id not in answers:
                answers[f.id] = f.default
        clean = {
            k: v for k, v in answers.items() if form.field(k) and form.field_map[k].shown(answers)
        }
        reasons = [
            Text(
                N_("The Population Register shows that your child {name} was born on {day}."),
                name=name,
                day=birth,
            ),
            Text(N_("Confirm by {day}: the legal deadline."), day=deadline),
        ]
        app_id = uuid.uuid4()
        now = utcnow()
        try:
            async with transaction(Application._meta.db):
                await Application.insert(
                    Application(
                        id=app_id,
                        subject_key=subject_key,
                        service=form.service,
                        status=Status.PREPARED.value,
                        answers=json.dumps(clean),
                        sources=json.dumps(_sources(personal, clean)),
                        prepared_key=_fact_key(form.service, code),
                        reasons=json.dumps([r.to_json() for r in reasons]),
                        respond_by=deadline,
                        created_at=now,
                        updated_at=now,
                    )
                ).run()
                await _step(
                    app_id, subject_key, Step(now, None, Status.PREPARED, Actor.SYSTEM), None
                )
        except Exception as exc:
            if not is_unique_violation(exc):
                raise
            continue  # prepared before (or by a concurrent request)
        made.append(app_id)
    return made
