"""Domain events → notices. Reads the transactional outbox of domain events (`backend.events`,
written by the e-address and other features) and enqueues notices for each recipient, in the
same transaction that marks the events consumed: an event becomes notices exactly once.

`backend.events.service.consume_events(kinds, handler, consumer=…)` hands `EventRecord(id,
kind, subject_key, payload, dedup_key, created_at)` to `handler` inside that event's own
transaction; a failing event is retried with backoff and dead-lettered alone. Which kinds it
reads and what each becomes is what the producers registered (`backend.events.registry`,
each producer's `notices.py`, wired in `backend.services.event_handlers`): this module names
no producer's events and reads no producer's tables.
"""

from __future__ import annotations

from typing import Any

from backend.events.registry import EventHandlers, EventLike
from backend.events.service import consume_events
from backend.notifications.engine.decide import escalate
from backend.notifications.engine.enqueue import Adjust, Enqueued, Notice, enqueue
from backend.notifications.engine.recipients import RecipientResolver
from backend.settings import EventSettings, NotificationSettings


async def handle_event(
    event: EventLike,
    resolver: RecipientResolver,
    settings: NotificationSettings,
    handlers: EventHandlers,
) -> Enqueued | None:
    """Enqueue the notices for one event (inside the caller's transaction)."""
    spec = handlers.get(event.kind)
    if spec is None:
        return None
    params: dict[str, Any] = dict(event.payload)  # `clean_params` keeps only what the kind declares
    adjust: Adjust | None = None
    if spec.content is not None:
        content = await spec.content(event.payload)
        if content is None:
            return None  # nothing to say: the thing is gone (consumed, not retried)
        params = dict(content.params)
        if content.escalate:
            adjust = escalate
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
    handlers: EventHandlers,
    events: EventSettings | None = None,
    limit: int = 100,
) -> int:
    """One batch of domain events; returns how many were consumed. An event whose notices
    cannot be enqueued is retried with backoff and dead-lettered (`EVENTS_*` settings)."""

    async def handler(event: EventLike) -> None:
        await handle_event(event, resolver, settings, handlers)

    return await consume_events(
        handlers.kinds(), handler, consumer=CONSUMER, settings=events, limit=limit
    )
