"""The dashboard's events the notification centre tells people about
(`backend.events.registry`): a person newly declared at my property (`changes.py`), always a
person's own dashboard, shown on the home page."""

from __future__ import annotations

from backend.auth.subjects import Scope
from backend.dashboard.changes import PERSON_DECLARED
from backend.events.registry import EventHandlers, EventNotice


def register(handlers: EventHandlers) -> None:
    handlers.notice(
        PERSON_DECLARED, EventNotice("registry.person_declared", Scope.VIEW_MAIL, lambda _: "/")
    )
