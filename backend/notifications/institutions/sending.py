"""An institution's notice: from a template and values to outbox rows, once per key.

The person's own choices decide the channels and quiet hours hold (the engine's `enqueue`);
a daily cap per person across all institutions keeps anyone from being flooded — a notice
over it is recorded as `capped`, never dropped silently. The institution learns whether a
notice was delivered, never which channels or addresses a person uses.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.auth.people import find_by_eidas_id, find_by_personal_code
from backend.auth.subjects import Scope
from backend.eaddress.institution_api.idempotency import check_key
from backend.eaddress.institution_api.institutions import institution_name
from backend.lib.db import is_unique_violation, transaction
from backend.lib.errors import NotFound, Unprocessable
from backend.lib.identifiers import (
    is_company_number,
    is_eidas_identifier,
    normalise_personal_code,
)
from backend.lib.store import Counters
from backend.lib.time import as_utc, riga_today, utcnow
from backend.notifications.engine.decide import Decision, Reach, Reason, Route
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.engine.recipients import IdentityRecipients
from backend.notifications.institutions import templates, topics
from backend.notifications.model import Channel
from backend.notifications.tables import InstitutionNotice, Outbox
from backend.settings import NotificationSettings

KIND = "institution.notice"
LINK = "/notifications"
"""Where the notice leads: the person's list, which holds every institution's notices."""
CAP_WINDOW_S = 26 * 3600
"""The cap's counter is per Riga day; it outlives the longest day (DST) and then expires."""


class NoticeNotFound(NotFound):
    code = "notification_not_found"

    def __init__(self) -> None:
        super().__init__("No such notification of this institution.")


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def _invalid(message: str) -> Unprocessable:
    return Unprocessable(message, code="invalid_notification")


def _parse(body: Any, *, subscriber: bool = False) -> tuple[str, int, str, str, Any]:
    if not isinstance(body, dict):
        raise _invalid("The body must be a JSON object.")
    unknown = sorted(set(body) - {"template_id", "template_version", "recipient", "values"})
    if unknown:
        raise _invalid(f"Unknown fields: {', '.join(unknown)}.")
    template_id, version = body.get("template_id"), body.get("template_version")
    if not isinstance(template_id, str) or not templates.TEMPLATE_ID.fullmatch(template_id):
        raise _invalid("`template_id` must be the id of one of your templates.")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 10**6:
        raise _invalid("`template_version` must be a version number (1 or more).")
    recipient = body.get("recipient")
    if not isinstance(recipient, dict) or set(recipient) != {"type", "id"}:
        raise _invalid(
            '`recipient` is {"type": "personal_code" | "eidas_id" | "company", "id": "…"}.'
        )
    kind, ident = recipient["type"], recipient["id"]
    if subscriber:  # built by topics.py from its own table, never by a client
        if kind != "subscriber" or not isinstance(ident, str):
            raise _invalid("A topic's notice goes to its subscribers.")
        return template_id, version, kind, ident, body.get("values")
    if kind == "personal_code" and isinstance(ident, str):
        try:
            return template_id, version, kind, normalise_personal_code(ident), body.get("values")
        except ValueError:
            raise _invalid("`recipient.id` is not a valid personal code.") from None
    if kind == "company" and isinstance(ident, str) and is_company_number(ident):
        return template_id, version, kind, ident, body.get("values")
    if kind == "eidas_id" and isinstance(ident, str) and is_eidas_identifier(ident):
        return template_id, version, kind, ident.strip(), body.get("values")
    raise _invalid(
        "`recipient` must be a personal code, an eIDAS identifier or a company registration number."
    )


def always_listed(decision: Decision, reach: Reach, now: datetime) -> Decision:
    """Every institution's notice is in the person's own list in Vienuviet, whatever else they
    chose: that list is where they see everything any institution sent them (in-app never
    buzzes, so it overrides no quiet choice)."""
    if Channel.INAPP in decision.channels:
        return decision
    skipped: dict[Channel, Reason] = {
        k: v for k, v in decision.skipped.items() if k is not Channel.INAPP
    }
    return Decision(decision.category, (*decision.routes, Route(Channel.INAPP, now)), skipped)


async def _recipients(kind: str, ident: str) -> tuple[str, list[uuid.UUID]]:
    """The subject key and the people who receive its notices (none: nobody to tell)."""
    if kind == "company":
        key = f"company:{ident}"
        return key, await IdentityRecipients().recipients(key, Scope.VIEW_MAIL)
    found = await (find_by_eidas_id(ident) if kind == "eidas_id" else find_by_personal_code(ident))
    if found is None:
        return "person:unknown", []
    return f"person:{found.id}", [found.id]


async def _within_cap(counters: Counters, people: list[uuid.UUID], cap: int) -> list[uuid.UUID]:
    today = riga_today().isoformat()
    kept = []
    for person in people:
        hits, _ = await counters.hit(f"notify-cap:{person}:{today}", CAP_WINDOW_S)
        if hits <= cap:
            kept.append(person)
    return kept


async def _earlier(institution_id: uuid.UUID, key: str, fingerprint: str) -> Answer | None:
    row = await (
        InstitutionNotice.select()
        .where(
            (InstitutionNotice.institution == institution_id)
            & (InstitutionNotice.idempotency_key == key)
        )
        .first()
        .run()
    )
    if row is None:
        return None
    if row["request_sha256"] != fingerprint:
        raise Unprocessable(
            "This Idempotency-Key was used for a different request.",
            code="idempotency_key_reused",
        )
    return Answer(202, _accepted(row), replayed=True)


def _accepted(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "template_id": row["template_id"],
        "template_version": int(row["template_version"]),
        "status": "queued" if row["status"] == "accepted" else row["status"],
        "created_at": as_utc(row["created_at"]).isoformat(),
    }


async def send(
    institution_id: uuid.UUID,
    key: str | None,
    body: Any,
    *,
    counters: Counters,
    settings: NotificationSettings,
    topic: uuid.UUID | None = None,
) -> Answer:
    """Accept one notice (202), or replay the answer given to this key before. With `topic`
    (a topic's bulk job) the recipient is a subscriber by person id, reached only while still
    subscribed."""
    key = check_key(key)
    fingerprint = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    if (earlier := await _earlier(institution_id, key, fingerprint)) is not None:
        return earlier
    template_id, version, kind, ident, values = _parse(body, subscriber=topic is not None)
    template = await templates.load(institution_id, template_id, version)
    cleaned = templates.checked_values(template, values)
    if topic is not None:
        person = uuid.UUID(ident)
        subscribed = await topics.is_subscribed(person, topic)
        subject_key, people = f"person:{person}", [person] if subscribed else []
    else:
        subscribed = True
        subject_key, people = await _recipients(kind, ident)
    notice_id = uuid.uuid4()
    reached = await _within_cap(counters, people, settings.daily_cap_per_recipient)
    status = (
        "unsubscribed" if not subscribed
        else "no_recipient" if not people
        else "capped" if not reached
        else "accepted"
    )  # fmt: skip
    texts = templates.rendered_texts(template, cleaned)
    params: dict[str, str] = {"sender": await institution_name(institution_id)}
    for lang, text in texts.items():
        params[f"subject_{lang}"], params[f"body_{lang}"] = text["subject"], text["body"]
    event_key = f"{KIND}:{notice_id}"
    row: dict[str, Any] = {
        "id": notice_id,
        "institution": institution_id,
        "idempotency_key": key,
        "request_sha256": fingerprint,
        "template_id": template_id,
        "template_version": version,
        "recipients": len(reached),
        "status": status,
        "event_key": event_key,
        "topic": topic,
        "created_at": utcnow(),
    }
    try:
        async with transaction(InstitutionNotice._meta.db):
            await InstitutionNotice.insert(InstitutionNotice(**row)).run()
            if reached:
                notice = Notice(
                    event_key=event_key,
                    kind=KIND,
                    subject_key=subject_key,
                    params=params,
                    link=LINK,
                    category=template.category,
                )
                await enqueue(notice, reached, settings=settings, adjust=always_listed)
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        # A concurrent request with the same key won: answer as it did.
        if (earlier := await _earlier(institution_id, key, fingerprint)) is not None:
            return earlier
        raise
    return Answer(202, _accepted(row))


_ATTEMPT = {"pending": "queued", "sending": "queued", "sent": "sent", "failed": "failed",
            "skipped": "skipped"}  # fmt: skip


async def status(institution_id: uuid.UUID, notice_id: uuid.UUID) -> dict[str, Any]:
    """What became of a notice: overall, and one entry per channel attempt — without naming
    the channel (an institution may not learn how a person is reached)."""
    row = await (
        InstitutionNotice.select()
        .where(
            (InstitutionNotice.id == notice_id) & (InstitutionNotice.institution == institution_id)
        )
        .first()
        .run()
    )
    if row is None:
        raise NoticeNotFound()
    outbox = await (
        Outbox.select(Outbox.status, Outbox.created_at, Outbox.finished_at)
        .where(Outbox.event_key == row["event_key"])
        .order_by(Outbox.created_at)
        .run()
    )
    deliveries = [
        {
            "status": _ATTEMPT.get(r["status"], "queued"),
            "at": as_utc(r["finished_at"] or r["created_at"]).isoformat(),
        }
        for r in outbox
    ]
    answer = _accepted(row)
    if row["status"] == "accepted":
        states = {d["status"] for d in deliveries}
        answer["status"] = (
            "queued" if "queued" in states
            else "delivered" if "sent" in states
            else "failed" if "failed" in states
            else "not_delivered"
        )  # fmt: skip
    answer["recipients"] = int(row["recipients"])
    answer["deliveries"] = deliveries
    return answer
