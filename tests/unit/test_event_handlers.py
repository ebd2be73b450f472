"""Each producer registers what its domain events become (`backend.events.registry`); the
notification centre's consumer reads only that. A kind registered twice stops start-up, and
every registered notice has its texts (or a person would be told nothing legible)."""

from __future__ import annotations

import pytest

from backend.applications.service import EVENT as APPLICATION_STATUS
from backend.auth.subjects import Scope
from backend.dashboard.changes import PERSON_DECLARED
from backend.events.registry import EventHandlers, EventNotice
from backend.notifications.render.messages import KINDS
from backend.obligations.reminders import EVENT_KIND as REMINDER_DUE
from backend.services import event_handlers


def test_every_producer_registers_its_own_events() -> None:
    handlers = event_handlers()
    assert set(handlers.kinds()) == {
        "eaddress.message_received",
        "eaddress.unread_escalation",
        PERSON_DECLARED,
        REMINDER_DUE,
        APPLICATION_STATUS,
    }
    reminder = handlers.get(REMINDER_DUE)
    assert reminder is not None
    assert reminder.scope is Scope.OBLIGATIONS
    assert reminder.content is not None  # the title is read by obligations, not the consumer
    mail = handlers.get("eaddress.message_received")
    assert mail is not None
    assert mail.link({"message_id": "3f0c"}) == "/mail/messages/3f0c"
    assert mail.link({"message_id": "../admin"}) == "/mail"  # never a link built from junk
    case = handlers.get(APPLICATION_STATUS)
    assert case is not None
    assert case.scope is Scope.APPLY  # a company's people are told only if they may apply
    assert case.link({"application_id": "9b1d"}) == "/applications/9b1d"


def test_every_registered_notice_has_its_texts() -> None:
    handlers = event_handlers()
    for kind in handlers.kinds():
        notice = handlers.get(kind)
        assert notice is not None
        assert notice.notice_kind in KINDS, kind


def test_a_kind_has_one_producer() -> None:
    handlers = EventHandlers()
    notice = EventNotice("eaddress.message_received", Scope.VIEW_MAIL, lambda _: "/mail")
    handlers.notice("eaddress.message_received", notice)
    with pytest.raises(ValueError, match="registered twice"):
        handlers.notice("eaddress.message_received", notice)
