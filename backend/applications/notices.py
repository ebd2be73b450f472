"""The applications' events the notification centre tells people about
(`backend.events.registry`): a case's status changed (`service.py`). The event carries the
application's id and its new status; the notice says the status in the recipient's language
and leads to the case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.applications.machine import Status
from backend.applications.service import EVENT
from backend.applications.words import status_text
from backend.auth.subjects import Scope
from backend.events.registry import EventHandlers, EventNotice, NoticeContent, safe_id

STATUS_VALUES = frozenset(s.value for s in Status)


def case_link(payload: Mapping[str, Any]) -> str:
    application_id = safe_id(payload.get("application_id"))
    return f"/applications/{application_id}" if application_id else "/applications"


async def status_content(payload: Mapping[str, Any]) -> NoticeContent | None:
    """The new status, said as a translatable text; `None` for a status this version does not
    know (nothing sensible to say; the event is consumed, not retried)."""
    status = str(payload.get("status", ""))
    if status not in STATUS_VALUES:
        return None
    return NoticeContent(params={"status": status_text(status).to_json()})


def register(handlers: EventHandlers) -> None:
    handlers.notice(
        EVENT,
        EventNotice("applications.status_changed", Scope.APPLY, case_link, content=status_content),
    )
