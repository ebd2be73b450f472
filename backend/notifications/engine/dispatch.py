"""Sending one claimed outbox row on its channel, and saying what happened.

Nothing here writes to the database: `delivery.record` writes every result of a batch in
one transaction. The target is re-checked at send time (the person may have removed the
device, changed the address, or the address may have stopped working since the notice was
queued): an unverified contact still receives nothing.

`dispatch` never raises. A batch is sent concurrently and recorded at once, so one row whose
sending raised (a row from an older version, a bug, data no check foresaw) would lose the
outcome of every other row — already sent — and the lease sweeper would send them all again,
every lease period. Such a row ends `failed` on its own (`error:<exception class>`), logged
with where it failed, never with what it held.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from backend.notifications.channels.webpush import Target, topic_for
from backend.notifications.engine.bulk import in_ids
from backend.notifications.engine.outbox import Claimed
from backend.notifications.model import USER_CATEGORIES, Category
from backend.notifications.preferences.unsubscribe import unsubscribe_url
from backend.notifications.render import mail
from backend.notifications.render.messages import (
    PayloadTooLarge,
    Rendered,
    in_language,
    kind_of,
    push_payload,
    render,
)
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import ContactPoint, PushSubscription

log = logging.getLogger("vienuviet.notifications")

TEST_KIND = "account.test"
DEVICES_SQL = (
    "SELECT id, person, endpoint, p256dh, auth, device_label, unhealthy_since "
    "FROM notify_push_subscription WHERE {}"
)
SETTINGS_PATH = "/settings/notifications"


@dataclass(frozen=True)
class AttemptRecord:
    channel: str
    target_id: uuid.UUID | None
    outcome: str
    status_code: int | None = None
    error_class: str | None = None
    duration_ms: int = 0


@dataclass(frozen=True)
class Device:
    id: uuid.UUID
    endpoint: str
    p256dh: str
    auth: str
    label: str
    healthy: bool


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID
    address: str
    verified: bool
    healthy: bool


@dataclass
class RowResult:
    row: Claimed
    status: str
    """sent | retry | failed | skipped"""
    reason: str | None = None
    retry_after_s: float | None = None
    delivered_to: list[str] = field(default_factory=list)
    attempts: list[AttemptRecord] = field(default_factory=list)
    succeeded: list[uuid.UUID] = field(default_factory=list)
    """Devices or contact points that took it (their failure streak ends)."""
    gone: list[uuid.UUID] = field(default_factory=list)
    """Devices the push service says no longer exist (404/410)."""
    blamed: list[uuid.UUID] = field(default_factory=list)
    """Targets that refused it themselves (a bounce, an invalid number, a broken device)."""


@dataclass
class BatchContext:
    devices: dict[uuid.UUID, list[Device]]
    contacts: dict[tuple[uuid.UUID, str], Contact]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def load_context(rows: Sequence[Claimed]) -> BatchContext:
    push_people = list({row.person for row in rows if row.channel == "push"})
    contact_people = list({row.person for row in rows if row.channel in ("email", "sms")})
    devices: dict[uuid.UUID, list[Device]] = {}
    if push_people:
        # Raw SQL with one array parameter: Piccolo's is_in() builds a placeholder and a
        # value conversion per person (~15 µs per message in py-spy under bench push).
        clause, args = in_ids(PushSubscription, "person", push_people)
        for item in await PushSubscription.raw(DEVICES_SQL.format(clause), *args).run():
            devices.setdefault(_uuid(item["person"]), []).append(
                Device(
                    _uuid(item["id"]),
                    item["endpoint"],
                    item["p256dh"],
                    item["auth"],
                    item["device_label"],
                    item["unhealthy_since"] is None,
                )
            )
    contacts: dict[tuple[uuid.UUID, str], Contact] = {}
    if contact_people:
        for item in await ContactPoint.select().where(ContactPoint.person.is_in(contact_people)):
            contacts[(_uuid(item["person"]), item["kind"])] = Contact(
                _uuid(item["id"]),
                item["address"],
                item["verified_at"] is not None,
                item["unhealthy_since"] is None,
            )
    return BatchContext(
        devices=devices,
        contacts=contacts,
    )


def _render(rt: NotificationRuntime, row: Claimed, language: str) -> Rendered:
    return _render_cached(
        row.kind, tuple(sorted(row.params.items())), row.link, rt.public_url, language
    )


@lru_cache(maxsize=4096)
def _render_cached(
    kind: str, params: tuple[tuple[str, str], ...], link: str, public_url: str, language: str
) -> Rendered:
    """A notice sent to many people is rendered once per language (Babel is not cheap)."""
    with in_language(language):
        return render(kind, dict(params), link, public_url)


async def dispatch(rt: NotificationRuntime, row: Claimed, ctx: BatchContext) -> RowResult:
    """Send one row on its channel; what happened, never an exception (see the module)."""
    try:
        return await _dispatch(rt, row, ctx)
    except Exception as exc:
        return _crashed(row, exc)


def _crashed(row: Claimed, exc: Exception) -> RowResult:
    error = type(exc).__name__
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f"{frame.filename}:{frame.lineno}" if frame else "?"
    # The exception's message may quote the row's data: only its class and place are logged.
    log.error("outbox row %s (%s) could not be sent: %s at %s", row.id, row.channel, error, where)
    return RowResult(
        row,
        # Devices that took it before (an earlier attempt) keep it delivered.
        "sent" if row.delivered_to else "failed",
        reason=f"error:{error}"[:40],
        delivered_to=list(row.delivered_to),
        attempts=[AttemptRecord(row.channel, None, "failed", None, error)],
    )


async def _dispatch(rt: NotificationRuntime, row: Claimed, ctx: BatchContext) -> RowResult:
    if row.channel == "inapp":
        return RowResult(row, "sent", attempts=[AttemptRecord("inapp", None, "delivered")])
    language = row.language
    if row.channel == "push":
        return await _push(rt, row, ctx, language)
    if row.channel == "email":
        return await _email(rt, row, ctx, language)
    if row.channel == "sms":
        return await _sms(rt, row, ctx, language)
    return RowResult(row, "failed", reason="unknown_channel")


async def _push(
    rt: NotificationRuntime, row: Claimed, ctx: BatchContext, language: str
) -> RowResult:
    test = row.kind == TEST_KIND
    remaining = [d for d in ctx.devices.get(row.person, []) if str(d.id) not in row.delivered_to]
    targets = [d for d in remaining if d.healthy or test]
    if not targets:
        if row.delivered_to:
            return RowResult(row, "sent", delivered_to=list(row.delivered_to))
        return RowResult(row, "skipped", reason="no_device" if not remaining else "unhealthy")
    try:
        payload = push_payload(
            _render(rt, row, language),
            notification_id=str(row.id),
            category=row.category,
            tag=row.kind,
        )
    except PayloadTooLarge:
        return RowResult(row, "failed", reason="payload_too_large")
    ttl = rt.settings.push.legal_ttl_s if row.legal else rt.settings.push.ttl_s
    kind = kind_of(row.kind)
    # Topic: a retry of the same notice replaces itself on the push service; only kinds that
    # say "something is waiting" also replace an earlier, different notice.
    topic = topic_for(row.kind, row.subject_key) if kind.collapse else topic_for(row.event_key)
    sends = [
        rt.push.send(
            Target(d.id, d.endpoint, d.p256dh, d.auth),
            payload,
            ttl=ttl,
            urgency=kind.urgency,
            topic=topic,
        )
        for d in targets
    ]
    # Most people have one device: awaiting it here saves a task per message (gather wraps
    # every coroutine in one), which profiling showed at ~6% of the engine's CPU.
    sent_all = [await sends[0]] if len(sends) == 1 else await asyncio.gather(*sends)
    result = RowResult(row, "failed", delivered_to=list(row.delivered_to))
    retry = False
    for device, sent in zip(targets, sent_all, strict=True):
        result.attempts.append(
            AttemptRecord(
                "push", device.id, sent.outcome, sent.status, sent.error_class, sent.duration_ms
            )
        )
        if sent.outcome == "delivered":
            result.delivered_to.append(str(device.id))
            result.succeeded.append(device.id)
        elif sent.outcome == "gone":
            result.gone.append(device.id)
        elif sent.outcome == "retry":
            retry = True
            if sent.retry_after_s is not None:
                result.retry_after_s = max(result.retry_after_s or 0.0, sent.retry_after_s)
            result.reason = sent.error_class
        else:
            result.blamed.append(device.id)
            result.reason = sent.error_class
    if retry:
        result.status = "retry"
    elif result.delivered_to:
        result.status = "sent"
    elif result.gone and not result.reason:
        result.status, result.reason = "skipped", "device_gone"
    return result


def _contact_block(contact: Contact | None, test: bool) -> str | None:
    if contact is None:
        return "no_contact"
    if not contact.verified:
        return "unverified"  # the 2024 lesson: nothing but its code reaches it
    if not contact.healthy and not test:
        return "unhealthy"
    return None


async def _email(
    rt: NotificationRuntime, row: Claimed, ctx: BatchContext, language: str
) -> RowResult:
    test = row.kind == TEST_KIND
    contact = ctx.contacts.get((row.person, "email"))
    if (block := _contact_block(contact, test)) is not None or contact is None:
        return RowResult(row, "skipped", reason=block)
    rendered = _render(rt, row, language)
    category = Category(row.category)
    with in_language(language):
        message = mail.notification_email(
            rendered,
            to=contact.address,
            sender=rt.settings.email.sender,
            settings_url=rt.public_url + SETTINGS_PATH,
            unsubscribe_url=unsubscribe_url(rt.settings, row.person, row.subject_key, category)
            if category in USER_CATEGORIES
            else None,
            legal=row.legal,
        )
    sent = await rt.email.send(message)
    attempt = AttemptRecord(
        "email", contact.id, sent.outcome, sent.status, sent.error_class, sent.duration_ms
    )
    result = RowResult(row, sent.outcome, reason=sent.error_class, attempts=[attempt])
    if sent.outcome == "delivered":
        result.status, result.reason = "sent", None
        result.succeeded.append(contact.id)
    elif sent.outcome == "failed":
        result.blamed.append(contact.id)  # a 5xx from the server: this address bounced
    return result


async def _sms(
    rt: NotificationRuntime, row: Claimed, ctx: BatchContext, language: str
) -> RowResult:
    test = row.kind == TEST_KIND
    contact = ctx.contacts.get((row.person, "phone"))
    if (block := _contact_block(contact, test)) is not None or contact is None:
        return RowResult(row, "skipped", reason=block)
    text = _render(rt, row, language).sms
    sent = await rt.sms.send(contact.address, text)
    outcome = "failed" if sent.outcome == "refused" else sent.outcome
    attempt = AttemptRecord(
        "sms", contact.id, sent.outcome, sent.status, sent.error_class, sent.duration_ms
    )
    result = RowResult(
        row,
        outcome,
        reason=sent.error_class,
        retry_after_s=sent.retry_after_s,
        attempts=[attempt],
    )
    if sent.outcome == "delivered":
        result.status, result.reason = "sent", None
        result.succeeded.append(contact.id)
    elif sent.recipient_fault:
        result.blamed.append(contact.id)
    return result
