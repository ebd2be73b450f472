"""The e-address's events the notification centre tells people about (`backend.events.registry`):
a message received (`storage/writing.py`) and a message left unread (`jobs.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.auth.subjects import Scope
from backend.events.registry import EventHandlers, EventNotice, safe_id

MESSAGE_RECEIVED = "eaddress.message_received"
UNREAD_ESCALATION = "eaddress.unread_escalation"


def mail_link(payload: Mapping[str, Any]) -> str:
    message_id = safe_id(payload.get("message_id"))
    return f"/mail/messages/{message_id}" if message_id else "/mail"


def register(handlers: EventHandlers) -> None:
    handlers.notice(MESSAGE_RECEIVED, EventNotice(MESSAGE_RECEIVED, Scope.VIEW_MAIL, mail_link))
    handlers.notice(UNREAD_ESCALATION, EventNotice(UNREAD_ESCALATION, Scope.VIEW_MAIL, mail_link))
