"""Sending one claimed outbox row on its channel, and saying what happened.

The row's `Channel` (channels/: push, email, sms, inapp — one interface, `channels/base.py`)
re-checks the target and sends. Nothing here writes to the database: `delivery.record` writes
every result of a batch in one transaction.

`dispatch` never raises. A batch is sent concurrently and recorded at once, so one row whose
sending raised (a row from an older version, a bug, data no check foresaw) would lose the
outcome of every other row — already sent — and the lease sweeper would send them all again,
every lease period. Such a row ends `failed` on its own (`error:<exception class>`), logged
with where it failed, never with what it held.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Sequence
from typing import Any

from backend.notifications.channels.base import (
    AttemptRecord,
    BatchContext,
    Contact,
    Device,
    RowResult,
)
from backend.notifications.engine.bulk import in_ids
from backend.notifications.engine.outbox import Claimed
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import ContactPoint, PushSubscription

log = logging.getLogger("vienuviet.notifications")

DEVICES_SQL = (
    "SELECT id, person, endpoint, p256dh, auth, device_label, unhealthy_since "
    "FROM notify_push_subscription WHERE {}"
)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def load_context(rows: Sequence[Claimed]) -> BatchContext:
    """The devices and contact points of the batch's people, two queries for the batch."""
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
    return BatchContext(devices=devices, contacts=contacts)


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
    channel = rt.channels.get(row.channel)
    if channel is None:
        return RowResult(row, "failed", reason="unknown_channel")
    return await channel.deliver(row, ctx)
