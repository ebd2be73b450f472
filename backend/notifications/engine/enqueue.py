"""`enqueue`: turn one event into outbox rows for its recipients, inside the caller's
transaction, according to each recipient's preferences, contacts, devices and quiet hours.

The caller supplies the recipients. For a person's own matter that is the person; for a
company it is everyone who may act for it with the right scope — the identity layer's answer
(`backend.notifications.engine.recipients`), not this module's guess.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from backend.lib.errors import BadInput
from backend.lib.time import utcnow
from backend.notifications.engine.decide import Decision, Reach, decide
from backend.notifications.engine.outbox import OutsideTransaction
from backend.notifications.engine.wakeup import NOTIFY_SQL
from backend.notifications.model import Category, is_legal
from backend.notifications.preferences.choices import person_choices, reach_for
from backend.notifications.render.messages import clean_params, kind_of
from backend.notifications.tables import Outbox, UndeliveredNotice
from backend.settings import NotificationSettings

INSERT_CHUNK = 500

Adjust = Callable[[Decision, Reach, datetime], Decision]


@dataclass(frozen=True)
class Notice:
    """Something worth telling people about, once per `event_key`."""

    event_key: str
    """Unique per cause, e.g. `eaddress.message_received:<message id>`: the dedup key's root."""
    kind: str
    """A key of `messages.KINDS`; it fixes the category (and whether it is a legal notice)."""
    subject_key: str
    """Whose matter: `person:<uuid>` or `company:<registration number>`."""
    params: Mapping[str, Any] = field(default_factory=dict)
    link: str = "/"
    """Deep link: a path under PUBLIC_URL."""
    category: Category | None = None
    """Instead of the kind's category: an institution's notice takes its template's (never a
    legal one: see backend/notifications/institutions/templates.py)."""


@dataclass(frozen=True)
class Enqueued:
    rows: int
    """Outbox rows written (a repeated event writes none: dedup)."""
    undeliverable: int
    """Legal notices no outreach channel can carry, recorded for the operator report."""
    decisions: Mapping[uuid.UUID, Decision]


def _check(notice: Notice) -> None:
    if not notice.event_key or len(notice.event_key) > 160 or "|" in notice.event_key:
        raise BadInput("An event key is 1..160 characters without '|'.", code="invalid_event")
    if not notice.link.startswith("/") or notice.link.startswith("//") or len(notice.link) > 500:
        raise BadInput("A deep link is a path under the site, like /eaddress.", code="invalid_link")
    if not notice.subject_key.startswith(("person:", "company:")):
        raise BadInput("A subject is person:<id> or company:<number>.", code="invalid_subject")


def _require_transaction() -> None:
    if not Outbox._meta.db.transaction_exists():
        raise OutsideTransaction("enqueue must run inside the transaction of its cause")


async def enqueue(
    notice: Notice,
    recipients: Sequence[uuid.UUID],
    *,
    settings: NotificationSettings,
    now: datetime | None = None,
    adjust: Adjust | None = None,
) -> Enqueued:
    """Write the outbox rows for `notice` to each recipient, in the caller's transaction.
    `adjust` may widen a decision (an escalated deadline: `decide.escalate`)."""
    _check(notice)
    _require_transaction()
    category = notice.category or kind_of(notice.kind).category
    now = now or utcnow()
    choices = await person_choices(list(dict.fromkeys(recipients)))
    reaches = await reach_for(recipients, notice.subject_key, choices)
    decisions = {person: decide(category, reach, now) for person, reach in reaches.items()}
    if adjust is not None:
        decisions = {person: adjust(d, reaches[person], now) for person, d in decisions.items()}
    languages = {person: choice.language for person, choice in choices.items()}
    return await enqueue_decided(notice, decisions, settings=settings, now=now, languages=languages)


async def enqueue_decided(
    notice: Notice,
    decisions: Mapping[uuid.UUID, Decision],
    *,
    settings: NotificationSettings,
    now: datetime,
    languages: Mapping[uuid.UUID, str] | None = None,
) -> Enqueued:
    """Write rows for decisions already made (account notices, tests of one channel)."""
    _check(notice)
    _require_transaction()
    if languages is None:
        choices = await person_choices(list(decisions))
        languages = {person: choice.language for person, choice in choices.items()}
    kind = kind_of(notice.kind)
    params = clean_params(notice.kind, notice.params)
    category = notice.category or kind.category
    legal = is_legal(category)
    give_up = timedelta(seconds=settings.give_up_after_s)
    rows = [
        Outbox(
            id=uuid.uuid4(),
            dedup_key=f"{notice.event_key}|{person}|{route.channel.value}",
            event_key=notice.event_key,
            person=person,
            subject_key=notice.subject_key,
            category=category.value,
            channel=route.channel.value,
            kind=notice.kind,
            params=params,
            link=notice.link,
            language=languages.get(person, "lv"),
            legal=legal,
            status="pending",
            due_at=route.deliver_at,
            give_up_at=route.deliver_at + give_up,
            attempts=0,
            delivered_to=[],
            created_at=now,
        )
        for person, decision in decisions.items()
        for route in decision.routes
    ]
    written = 0
    if rows and isinstance(Outbox._meta.db, PostgresEngine):
        await Outbox.raw(NOTIFY_SQL).run()  # delivered on commit only: wakes idle workers
    for start in range(0, len(rows), INSERT_CHUNK):
        inserted = await (
            Outbox.insert(*rows[start : start + INSERT_CHUNK])
            .on_conflict(target=Outbox.dedup_key, action="DO NOTHING")
            .returning(Outbox.id)
            .run()
        )
        written += len(inserted)
    undeliverable = [
        UndeliveredNotice(
            id=uuid.uuid4(),
            event_key=notice.event_key,
            person=person,
            reason=reason.value,
            created_at=now,
        )
        for person, decision in decisions.items()
        if (reason := decision.undeliverable) is not None
    ]
    if undeliverable:
        await (
            UndeliveredNotice.insert(*undeliverable)
            .on_conflict(
                target=(UndeliveredNotice.event_key, UndeliveredNotice.person),
                action="DO NOTHING",
            )
            .run()
        )
    return Enqueued(written, len(undeliverable), decisions)
