"""What each producer's domain events become for the notification centre, registered by the
producer itself.

A feature that records events (`backend.events.service.record_event`) and wants people told
registers one `EventNotice` per event kind in its own module (`backend/<feature>/notices.py`,
`register(handlers)`); the composition root (`backend.services.event_handlers`) calls every
producer's `register` once, and the notification centre's consumer reads the registry. The
consumer names no producer's event kinds and imports no producer's tables: a notice that must
say more than the event's identifiers (a reminder's title) asks the producer's `content`
function, which reads the producer's own tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from backend.auth.subjects import Scope


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
class NoticeContent:
    """What a notice says when the event's payload is not enough (loaded by its producer)."""

    params: Mapping[str, Any]
    escalate: bool = False
    """A legal deadline close: send on the urgent channels despite the person's choices."""


@dataclass(frozen=True)
class EventNotice:
    notice_kind: str
    """The notice it becomes (`backend/notifications/render/messages.py` holds its texts)."""
    scope: Scope
    """What a company's people need in order to be told (e.g. view_mail for e-address)."""
    link: Callable[[Mapping[str, Any]], str]
    """Where the notice leads, from the event's payload."""
    content: Callable[[Mapping[str, Any]], Awaitable[NoticeContent | None]] | None = None
    """Loads what the notice says from the producer's own data; `None` from it: nothing to say
    any more (the thing is gone; the event is consumed, not retried). Without it the notice
    says the event's payload."""


class EventHandlers:
    """Event kind → its notice. One producer per kind; registering a kind twice is a mistake."""

    def __init__(self) -> None:
        self._notices: dict[str, EventNotice] = {}

    def notice(self, kind: str, notice: EventNotice) -> None:
        if kind in self._notices:
            raise ValueError(f"event kind {kind!r} is registered twice")
        self._notices[kind] = notice

    def get(self, kind: str) -> EventNotice | None:
        return self._notices.get(kind)

    def kinds(self) -> list[str]:
        return list(self._notices)

    def __contains__(self, kind: object) -> bool:
        return kind in self._notices


def safe_id(value: object) -> str | None:
    """An identifier from an event's payload fit for a link (letters, digits and hyphens, at
    most 64 characters), or `None`: a payload is data, never trusted into a URL as it is."""
    text = str(value or "")
    if text and text.replace("-", "").isalnum() and len(text) <= 64:
        return text
    return None
