"""Domain events → notices. Reads the transactional outbox of domain events (`backend.events`,
written by the e-address and other features) and enqueues notices for each recipient, in the
same transaction that marks the events consumed: an event becomes notices exactly once.

`backend.events` lands with the e-address feature; until it is on this branch the consumer
job is simply not registered (see `jobs.py`). Its contract, from that branch:
`consume_events(kinds, handler, limit=…)` hands `EventRecord(id, kind, subject_key, payload,
dedup_key, created_at)` to `handler` inside its transaction. Payloads hold identifiers only.
"""

from __future__ import annotations

import importlib
import importlib.util
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from backend.auth.subjects import Scope
from backend.notifications.enqueue import Enqueued, Notice, enqueue
from backend.notifications.recipients import RecipientResolver
from backend.settings import NotificationSettings


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


def _mail_link(payload: Mapping[str, Any]) -> str:
    message_id = str(payload.get("message_id") or "")
    if message_id and message_id.replace("-", "").isalnum() and len(message_id) <= 64:
        return f"/eaddress/messages/{message_id}"
    return "/eaddress"


EVENTS: Mapping[str, EventRoute] = {
    "eaddress.message_received": EventRoute(
        "eaddress.message_received", Scope.VIEW_MAIL, _mail_link
    ),
    "eaddress.unread_escalation": EventRoute(
        "eaddress.unread_escalation", Scope.VIEW_MAIL, _mail_link
    ),
    "registry.person_declared": EventRoute(
        "registry.person_declared", Scope.VIEW_MAIL, lambda _: "/dashboard/property"
    ),
    "obligations.reminder": EventRoute(
        "obligations.reminder", Scope.OBLIGATIONS, lambda _: "/obligations"
    ),
}
"""Event kinds this consumer understands. Others stay unconsumed for their own consumers."""


async def handle_event(
    event: EventLike, resolver: RecipientResolver, settings: NotificationSettings
) -> Enqueued | None:
    """Enqueue the notices for one event (inside the caller's transaction)."""
    spec = EVENTS.get(event.kind)
    if spec is None:
        return None
    recipients = await resolver.recipients(event.subject_key, spec.scope)
    notice = Notice(
        event_key=f"{event.kind}:{event.id}",
        kind=spec.notice_kind,
        subject_key=event.subject_key,
        params=dict(event.payload),  # `clean_params` keeps only what the kind declares
        link=spec.link(event.payload),
    )
    return await enqueue(notice, recipients, settings=settings)


def events_available() -> bool:
    return importlib.util.find_spec("backend.events") is not None


async def consume(
    resolver: RecipientResolver, settings: NotificationSettings, *, limit: int = 100
) -> int:
    """One batch of domain events; returns how many were consumed."""
    service: Any = importlib.import_module("backend.events.service")

    async def handler(event: EventLike) -> None:
        await handle_event(event, resolver, settings)

    consumed: int = await service.consume_events(list(EVENTS), handler, limit=limit)
    return consumed
