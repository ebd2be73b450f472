"""The institution's side of applications: its work list, one case, a step, and the official
message a decision or a request for information sends the applicant.

Whose applications an institution sees: an API client speaks for the one catalogue institution
it is linked to (`vienuviet catalogue link`, the catalogue publishers' link); it sees the
applications for services whose responsible institution, in the published catalogue, is that
one — and never a draft, a prepared application nobody confirmed, or a declined one (those are
the person's). Anything else answers as if it did not exist.

A step goes through the status machine (`machine.ALLOWED`, actor `institution`). A decision and
a request for information are sent to the applicant's e-address through the e-address's own
`send_message`, as an official message from the client's institution, with the e-address
Idempotency-Key `applications:<step id>`: sending a step's message again (a retry after a crash
between the step and the message) replays the message sent before instead of sending another.
`applications_message` links the step to that message; the case timeline shows it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backend.applications import service
from backend.applications.machine import Actor, InvalidTransition, Outcome, Status, transition
from backend.applications.service import ApplicationRecord
from backend.applications.tables import Application, ApplicationEvent, ApplicationMessage
from backend.auth.people import get_people, get_person
from backend.catalogue.files import Catalogue
from backend.eaddress import service as eaddress
from backend.eaddress.institution_api.intake import MessageIn, ParsedRequest, RecipientIn
from backend.eaddress.institution_api.tokens import InstitutionPrincipal
from backend.lib.db import is_unique_violation
from backend.lib.errors import BadInput, Conflict, NotFound, Unprocessable
from backend.lib.keyset import decode_cursor, encode_cursor
from backend.lib.time import utcnow
from backend.settings import EAddressSettings

HIDDEN = frozenset({Status.DRAFT, Status.PREPARED, Status.DECLINED})
"""Statuses an institution never sees: the application is still (or only ever) the person's."""
VISIBLE = tuple(s for s in Status if s not in HIDDEN)
MESSAGED = frozenset({Status.DECIDED, Status.NEEDS_INFORMATION})
"""Steps that send the applicant an official e-address message."""
MAX_NOTE = 2000
MAX_PAGE = 100
DEFAULT_PAGE = 50

OUTCOME_LV = {
    Outcome.GRANTED: "iesniegums apmierināts",
    Outcome.PARTLY: "iesniegums apmierināts daļēji",
    Outcome.REFUSED: "iesniegums noraidīts",
}


class CaseNotFound(NotFound):
    code = "application_not_found"


class StepNotAllowed(Conflict):
    code = "invalid_transition"


class InvalidCursor(BadInput):
    code = "invalid_cursor"


def services_of(catalogue: Catalogue, institution: str) -> list[str]:
    """Ids of the services `institution` is responsible for, in the published catalogue."""
    return sorted(s.id for s in catalogue.services.values() if s.institution == institution)


@dataclass(frozen=True)
class Cursor:
    submitted_at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        return encode_cursor(self.submitted_at, self.id)

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            return cls(*decode_cursor(value))
        except ValueError:
            raise InvalidCursor("The cursor is not one this API gave out.") from None


async def work_list(
    service_ids: list[str],
    *,
    status: Status | None,
    after: Cursor | None,
    limit: int,
) -> tuple[list[ApplicationRecord], Cursor | None]:
    """Applications for these services, oldest submitted first (keyset on submitted_at, id)."""
    statuses = [status] if status is not None else list(VISIBLE)
    if not service_ids or any(s in HIDDEN for s in statuses):
        return [], None
    where = Application.service.is_in(service_ids) & Application.status.is_in(
        [s.value for s in statuses]
    )
    where &= Application.submitted_at.is_not_null()
    if after is not None:
        where &= (Application.submitted_at > after.submitted_at) | (
            (Application.submitted_at == after.submitted_at) & (Application.id > after.id)
        )
    rows = await (
        Application.select()
        .where(where)
        .order_by(Application.submitted_at, Application.id)
        .limit(limit + 1)
        .run()
    )
    records = [ApplicationRecord.from_row(r) for r in rows[:limit]]
    more = len(rows) > limit
    last = records[-1] if records and more else None
    cursor = Cursor(last.submitted_at, last.id) if last and last.submitted_at else None
    return records, cursor


async def case_of(service_ids: list[str], application_id: str) -> ApplicationRecord:
    """The application with its timeline if it is for one of these services and visible to an
    institution; 404 alike for a missing, malformed or another institution's id."""
    try:
        app_id = uuid.UUID(application_id)
    except ValueError:
        raise CaseNotFound("No such application for your services.") from None
    record = await service.load(app_id, with_steps=True)
    if record is None or record.service not in service_ids or record.status in HIDDEN:
        raise CaseNotFound("No such application for your services.")
    return record


async def applicant_of(subject_key: str) -> dict[str, str]:
    """The applicant as the e-address names recipients: a personal code or a company number."""
    kind, _, ident = subject_key.partition(":")
    if kind == "company":
        return {"type": "company", "id": ident}
    person = await get_person(ident)
    if person is None or not person.personal_code:  # pragma: no cover - people have codes here
        return {"type": "person", "id": ""}
    return {"type": "personal_code", "id": person.personal_code}


async def applicants_of(subject_keys: list[str]) -> dict[str, dict[str, str]]:
    """`applicant_of` for many subjects at once (one query for the people)."""
    found = {
        key: {"type": "company", "id": key.partition(":")[2]}
        for key in subject_keys
        if key.startswith("company:")
    }
    people = [key.partition(":")[2] for key in subject_keys if key.startswith("person:")]
    for person in await get_people(uuid.UUID(p) for p in set(people)):
        found[person.subject_key] = {"type": "personal_code", "id": person.personal_code or ""}
    return found


def check_step(record: ApplicationRecord, target: Status, outcome: Outcome | None) -> None:
    """409 unless the machine lets the institution take this step now."""
    try:
        transition(record.status, target, Actor.INSTITUTION, at=utcnow(), outcome=outcome)
    except InvalidTransition as exc:
        raise StepNotAllowed(
            f"An application that is {record.status.value} cannot move to {target.value}."
        ) from exc


async def take_step(
    record: ApplicationRecord, target: Status, note: str, outcome: Outcome | None
) -> tuple[ApplicationRecord, uuid.UUID]:
    """Move the application (inside the caller's transaction); the new status and the id of the
    timeline step it wrote."""
    check_step(record, target, outcome)
    try:
        fresh = await service.move(record, target, Actor.INSTITUTION, note=note, outcome=outcome)
    except BadInput as exc:  # moved by someone else between our read and our write
        raise StepNotAllowed("The application changed meanwhile; fetch it again.") from exc
    step = await (
        ApplicationEvent.select(ApplicationEvent.id)
        .where(
            (ApplicationEvent.application == record.id)
            & (ApplicationEvent.to_status == target.value)
        )
        .order_by(ApplicationEvent.at, ascending=False)
        .first()
        .run()
    )
    if step is None:  # pragma: no cover - the step was just written
        raise StepNotAllowed("The application changed meanwhile; fetch it again.")
    return fresh, _uuid(step["id"])


async def application_of_step(step_id: uuid.UUID) -> uuid.UUID | None:
    row = await (
        ApplicationEvent.select(ApplicationEvent.application)
        .where(ApplicationEvent.id == step_id)
        .first()
        .run()
    )
    return None if row is None else _uuid(row["application"])


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@dataclass(frozen=True)
class Delivery:
    message_id: uuid.UUID
    deemed_delivered_on: date


def message_text(
    record: ApplicationRecord,
    target: Status,
    note: str,
    *,
    service_title: str,
    institution_name: str,
    case_url: str,
) -> tuple[str, str]:
    """Subject and body of the official message, in Latvian (the state language of official
    documents, State Language Law Art. 10)."""
    if target is Status.DECIDED:
        assert record.outcome is not None
        subject = f"Lēmums par iesniegumu „{service_title}”"
        lines = [f"{institution_name} ir pieņēmusi lēmumu: {OUTCOME_LV[record.outcome]}."]
    else:
        subject = f"Nepieciešama informācija iesniegumam „{service_title}”"
        lines = [f"{institution_name} lūdz papildu informāciju, lai izskatītu iesniegumu."]
    if note:
        lines += ["", note]
    lines += ["", f"Iesniegums un tā gaita: {case_url}"]
    return subject, "\n".join(lines)


async def deliver(
    principal: InstitutionPrincipal,
    record: ApplicationRecord,
    step_id: uuid.UUID,
    subject_and_body: tuple[str, str],
    settings: EAddressSettings,
) -> Delivery | None:
    """Send the step's official message (once per step, whatever the retries) and link it to
    the step; None when the applicant has no active e-address (the institution then delivers
    it otherwise, as for any official document)."""
    known = await (
        ApplicationMessage.select(
            ApplicationMessage.message_id, ApplicationMessage.deemed_delivered_on
        )
        .where(ApplicationMessage.event == step_id)
        .first()
        .run()
    )
    if known is not None:
        return Delivery(_uuid(known["message_id"]), known["deemed_delivered_on"])
    applicant = await applicant_of(record.subject_key)
    if applicant["type"] == "company":
        await eaddress.ensure_company_account(applicant["id"])
    subject, body = subject_and_body
    message = MessageIn(
        recipient=RecipientIn(type=applicant["type"], id=applicant["id"]),  # type: ignore[arg-type]
        subject=subject,
        body=body,
    )
    try:
        sent = await eaddress.send_message(
            principal, ParsedRequest(message), f"applications:{step_id}", settings
        )
    except Unprocessable as exc:
        if exc.code in ("no_active_eaddress", "unknown_recipient", "invalid_recipient"):
            return None
        raise
    delivery = Delivery(
        uuid.UUID(sent.body["id"]), date.fromisoformat(sent.body["deemed_delivered_on"])
    )
    try:
        await ApplicationMessage.insert(
            ApplicationMessage(
                id=uuid.uuid4(), application=record.id, event=step_id,
                message_id=delivery.message_id, sent_at=utcnow(),
                deemed_delivered_on=delivery.deemed_delivered_on,
            )
        ).run()  # fmt: skip
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
    return delivery


def case_json(
    record: ApplicationRecord, applicant: Mapping[str, str], case_url: str
) -> dict[str, Any]:
    """The application as the API answers it."""
    return {
        "id": str(record.id),
        "service": record.service,
        "status": record.status.value,
        "outcome": record.outcome.value if record.outcome else None,
        "applicant": dict(applicant),
        "answers": record.answers,
        "prefilled_from": {
            field: {"source": src.get("source", ""), "as_of": src.get("as_of") or None}
            for field, src in record.sources.items()
        },
        "submitted_at": record.submitted_at.isoformat() if record.submitted_at else None,
        "updated_at": record.updated_at.isoformat(),
        "url": case_url,
        "timeline": [
            {
                "at": step.at.isoformat(),
                "from": step.from_status.value if step.from_status else None,
                "to": step.to_status.value,
                "actor": step.actor.value,
                "note": step.note,
                "outcome": step.outcome.value if step.outcome else None,
                "message": (
                    {
                        "id": str(step.message_id),
                        "deemed_delivered_on": step.deemed_delivered_on.isoformat()
                        if step.deemed_delivered_on
                        else None,
                    }
                    if step.message_id
                    else None
                ),
            }
            for step in record.steps
        ],
    }


def dumps(body: Mapping[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))
