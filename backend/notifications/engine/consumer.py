"""Domain events → notices. Reads the transactional outbox of domain events (`backend.events`,
written by the e-address and other features) and enqueues notices for each recipient, in the
same transaction that marks the events consumed: an event becomes notices exactly once.

`backend.events.service.consume_events(kinds, handler, consumer=…)` hands `EventRecord(id,
kind, subject_key, payload, dedup_key, created_at)` to `handler` inside that event's own
transaction; a failing event is retried with backoff and dead-lettered alone. Payloads
hold identifiers only, so the consumer loads what a notice says (a reminder's title) itself.
The event kinds below are the producers' own names (grep for them when adding one).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from backend.applications.machine import Status
from backend.applications.words import status_text
from backend.auth.subjects import Scope
from backend.events.service import consume_events
from backend.notifications.engine.decide import escalate
from backend.notifications.engine.enqueue import Adjust, Enqueued, Notice, enqueue
from backend.notifications.engine.recipients import RecipientResolver
from backend.obligations.tables import Reminder
from backend.settings import EventSettings, NotificationSettings

STATUS_VALUES = frozenset(s.value for s in Status)


class EventLike(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def kind(self) -> str: ...
    @property
    def subject_key(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class EventRoute:
    notice_kind: str
    scope: Scope
    """What a company's people need in order to be told (e.g. view_mail for e-address)."""
    link: Callable[[Mapping[str, Any]], str]


def _safe_id(value: object) -> str | None:
    text = str(value or "")
    if text and text.replace("-", "").isalnum() and len(text) <= 64:
        return text
    return None


def _mail_link(payload: Mapping[str, Any]) -> str:
    message_id = _safe_id(payload.get("message_id"))
    return f"/mail/messages/{message_id}" if message_id else "/mail"


OBLIGATIONS_LINK = "/obligations"
REMINDER_EVENT = "obligations.reminder_due"
APPLICATION_EVENT = "applications.status_changed"


def _application_link(payload: Mapping[str, Any]) -> str:
    application_id = _safe_id(payload.get("application_id"))
    return f"/applications/{application_id}" if application_id else "/applications"


EVENTS: Mapping[str, EventRoute] = {
    # backend/eaddress/storage/writing.py and jobs.py
    "eaddress.message_received": EventRoute(
        "eaddress.message_received", Scope.VIEW_MAIL, _mail_link
    ),
    "eaddress.unread_escalation": EventRoute(
        "eaddress.unread_escalation", Scope.VIEW_MAIL, _mail_link
    ),
    # backend/dashboard/changes.py: always a person's own dashboard, shown on the home page
    "dashboard.person_declared": EventRoute(
        "registry.person_declared", Scope.VIEW_MAIL, lambda _: "/"
    ),
    # backend/obligations/reminders.py: the reminder row holds the title (see _reminder)
    REMINDER_EVENT: EventRoute(
        "obligations.reminder", Scope.OBLIGATIONS, lambda _: OBLIGATIONS_LINK
    ),
    # backend/applications/service.py: the status, said in the recipient's language
    APPLICATION_EVENT: EventRoute("applications.status_changed", Scope.APPLY, _application_link),
}
"""Event kinds this consumer understands. Others stay unconsumed for their own consumers."""


async def _reminder(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    """The reminder row the event names: its title and due date are what the notice says
    (events carry identifiers only)."""
    try:
        reminder_id = uuid.UUID(str(payload.get("reminder_id")))
    except ValueError:
        return None
    row: dict[str, Any] | None = await (
        Reminder.select(Reminder.title, Reminder.title_text, Reminder.due_date, Reminder.escalate)
        .where(Reminder.id == reminder_id)
        .first()
        .run()
    )
    return row


async def handle_event(
    event: EventLike, resolver: RecipientResolver, settings: NotificationSettings
) -> Enqueued | None:
    """Enqueue the notices for one event (inside the caller's transaction)."""
    spec = EVENTS.get(event.kind)
    if spec is None:
        return None
    params: dict[str, Any] = dict(event.payload)  # `clean_params` keeps only what the kind declares
    adjust: Adjust | None = None
    if event.kind == REMINDER_EVENT:
        reminder = await _reminder(event.payload)
        if reminder is None:
            return None  # nothing to say: the reminder is gone (consumed, not retried)
        # The translatable title when the row has one (rendered per recipient's language at
        # delivery); older rows' plain title otherwise.
        title = reminder["title_text"] or reminder["title"]
        params = {"title": title, "due_on": reminder["due_date"]}
        if bool(event.payload.get("escalate")) or bool(reminder["escalate"]):
            adjust = escalate
    if event.kind == APPLICATION_EVENT:
        status = str(event.payload.get("status", ""))
        if status not in STATUS_VALUES:
            return None  # not a status this version knows: nothing sensible to say
        params = {"status": status_text(status).to_json()}
    recipients = await resolver.recipients(event.subject_key, spec.scope)
    notice = Notice(
        event_key=f"{event.kind}:{event.id}",
        kind=spec.notice_kind,
        subject_key=event.subject_key,
        params=params,
        link=spec.link(event.payload),
    )
    return await enqueue(notice, recipients, settings=settings, adjust=adjust)


CONSUMER = "notifications"
"""This consumer's name in the events table and the dead-letter report."""


async def consume(
    resolver: RecipientResolver,
    settings: NotificationSettings,
    *,
    events: EventSettings | None = None,
    limit: int = 100,
) -> int:
    """One batch of domain events; returns how many were consumed. An event whose notices
    cannot be enqueued is retried with backoff and dead-lettered (`EVENTS_*` settings)."""

    async def handler(event: EventLike) -> None:
        await handle_event(event, resolver, settings)

    return await consume_events(
        list(EVENTS), handler, consumer=CONSUMER, settings=events, limit=limit
    )
