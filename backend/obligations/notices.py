"""The obligations' events the notification centre tells people about
(`backend.events.registry`): a reminder due (`reminders.py`). The event carries identifiers
only; the notice says the reminder's title and due date, read here from our own table."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from backend.auth.subjects import Scope
from backend.events.registry import EventHandlers, EventNotice, NoticeContent
from backend.obligations.reminders import EVENT_KIND
from backend.obligations.tables import Reminder

OBLIGATIONS_LINK = "/obligations"


async def reminder_content(payload: Mapping[str, Any]) -> NoticeContent | None:
    """The reminder the event names: its title and due date are what the notice says; `None`
    when it is gone."""
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
    if row is None:
        return None
    # The translatable title when the row has one (rendered per recipient's language at
    # delivery); older rows' plain title otherwise.
    return NoticeContent(
        params={"title": row["title_text"] or row["title"], "due_on": row["due_date"]},
        escalate=bool(payload.get("escalate")) or bool(row["escalate"]),
    )


def register(handlers: EventHandlers) -> None:
    handlers.notice(
        EVENT_KIND,
        EventNotice(
            "obligations.reminder",
            Scope.OBLIGATIONS,
            lambda _: OBLIGATIONS_LINK,
            content=reminder_content,
        ),
    )
