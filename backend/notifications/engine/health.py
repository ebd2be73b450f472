"""Channel health: devices and contact points that keep failing are marked unhealthy, gone
devices are deleted, and the person is told — in-app and through another healthy channel.
A legal notice that no outreach channel carried is recorded for the operator report.

Every function here runs inside the transaction that records a batch's results.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from backend.notifications.engine.bulk import in_ids
from backend.notifications.engine.decide import decide_account_notice
from backend.notifications.engine.enqueue import Notice, enqueue_decided
from backend.notifications.engine.outbox import outreach_statuses
from backend.notifications.model import Channel
from backend.notifications.preferences.addresses import mask_email, mask_phone
from backend.notifications.preferences.choices import reach_for
from backend.notifications.tables import ContactPoint, PushSubscription, UndeliveredNotice
from backend.settings import NotificationSettings

log = logging.getLogger("vienuviet.notifications")

SETTINGS_LINK = "/settings/notifications"


async def tell_person(
    person: uuid.UUID,
    *,
    channel: Channel,
    target_id: uuid.UUID,
    target_label: str,
    since: datetime,
    settings: NotificationSettings,
) -> None:
    """Queue "we could not reach you by X" in-app and on one other healthy channel."""
    reach = (await reach_for([person], f"person:{person}")).get(person)
    if reach is None:
        return
    # The broken target is already deleted or marked unhealthy, so `reach` skips it; another
    # device of the same person is a fine way to tell them, another e-mail is not (one each).
    exclude = frozenset() if channel is Channel.PUSH else frozenset({channel})
    decision = decide_account_notice(reach, since, exclude=exclude)
    notice = Notice(
        event_key=f"account.channel_unhealthy:{target_id}:{since:%Y%m%dT%H%M%S}",
        kind="account.channel_unhealthy",
        subject_key=f"person:{person}",
        params={"channel": channel.value, "target": target_label},
        link=SETTINGS_LINK,
    )
    await enqueue_decided(notice, {person: decision}, settings=settings, now=since)


async def succeeded(
    devices: Sequence[uuid.UUID], contacts: Sequence[uuid.UUID], now: datetime
) -> None:
    """A success ends a failure streak (and an unhealthy mark: a test proved it works)."""
    if devices:
        clause, args = in_ids(PushSubscription, "id", devices)
        await PushSubscription.raw(
            "UPDATE notify_push_subscription SET last_success_at = {}, failures = 0, "  # noqa: S608
            f"unhealthy_since = NULL WHERE {clause}",
            now,
            *args,
        ).run()
    if contacts:
        await (
            ContactPoint.update(
                {
                    ContactPoint.failures: 0,
                    ContactPoint.unhealthy_since: None,
                    ContactPoint.unhealthy_reason: None,
                }
            )
            .where(ContactPoint.id.is_in(list(contacts)))
            .run()
        )


async def devices_gone(
    devices: Sequence[uuid.UUID], now: datetime, settings: NotificationSettings
) -> None:
    """404/410: the browser dropped the subscription. Delete it and tell its owner."""
    if not devices:
        return
    rows = await (
        PushSubscription.delete()
        .where(PushSubscription.id.is_in(list(devices)))
        .returning(PushSubscription.id, PushSubscription.person, PushSubscription.device_label)
        .run()
    )
    for row in rows:
        log.info("push subscription %s is gone; deleted", row["id"])
        await tell_person(
            uuid.UUID(str(row["person"])),
            channel=Channel.PUSH,
            target_id=uuid.UUID(str(row["id"])),
            target_label=row["device_label"] or "—",
            since=now,
            settings=settings,
        )


async def blame(
    channel: str,
    targets: Sequence[uuid.UUID],
    reason: str,
    now: datetime,
    settings: NotificationSettings,
) -> None:
    """Count a failure the target itself caused; at `unhealthy_after` in a row, mark it."""
    table = PushSubscription if channel == "push" else ContactPoint
    for target in targets:
        counted = await (
            table.update({table.failures: table.failures + 1})
            .where(table.id == target)
            .returning(table.failures, table.person, table.unhealthy_since)
            .run()
        )
        if not counted:
            continue
        row = counted[0]
        if row["unhealthy_since"] is not None or row["failures"] < settings.unhealthy_after:
            continue
        values: dict[Column | str, Any] = {table.unhealthy_since: now}
        if table is ContactPoint:
            values[ContactPoint.unhealthy_reason] = reason[:40]
        await table.update(values).where(table.id == target).run()
        log.info(
            "%s target %s marked unhealthy after %s failures", channel, target, row["failures"]
        )
        await tell_person(
            uuid.UUID(str(row["person"])),
            channel=Channel(channel),
            target_id=target,
            target_label=await _label(channel, target),
            since=now,
            settings=settings,
        )


async def _label(channel: str, target: uuid.UUID) -> str:
    if channel == "push":
        row = (
            await PushSubscription.select(PushSubscription.device_label)
            .where(PushSubscription.id == target)
            .first()
            .run()
        )
        return (row or {}).get("device_label") or "—"
    row = (
        await ContactPoint.select(ContactPoint.address)
        .where(ContactPoint.id == target)
        .first()
        .run()
    )
    address = (row or {}).get("address") or ""
    return mask_email(address) if "@" in address else mask_phone(address) if address else "—"


async def legal_notice_ended(person: uuid.UUID, event_key: str, reason: str, now: datetime) -> bool:
    """After a legal notice's row failed or was skipped: if no outreach row for that event
    was sent and none is still on its way, record it as undelivered. True if recorded."""
    statuses = await outreach_statuses(person, event_key)
    if "sent" in statuses or {"pending", "sending"} & set(statuses):
        return False
    await (
        UndeliveredNotice.insert(
            UndeliveredNotice(
                id=uuid.uuid4(),
                event_key=event_key,
                person=person,
                reason=reason[:40],
                created_at=now,
            )
        )
        .on_conflict(
            target=(UndeliveredNotice.event_key, UndeliveredNotice.person), action="DO NOTHING"
        )
        .run()
    )
    log.warning(
        "legal notice %s could not be delivered to person %s: %s", event_key, person, reason
    )
    return True


async def legal_notices_sent(pairs: Sequence[tuple[uuid.UUID, str]], now: datetime) -> None:
    """A later success (a retry, a deferred channel) closes an open undelivered record."""
    if not pairs:
        return
    keys = list({event_key for _, event_key in pairs})
    wanted = set(pairs)
    open_rows = await (
        UndeliveredNotice.select(
            UndeliveredNotice.id, UndeliveredNotice.person, UndeliveredNotice.event_key
        )
        .where(UndeliveredNotice.event_key.is_in(keys) & UndeliveredNotice.resolved_at.is_null())
        .run()
    )
    ids = [
        row["id"]
        for row in open_rows
        if (uuid.UUID(str(row["person"])), row["event_key"]) in wanted
    ]
    if ids:
        await (
            UndeliveredNotice.update(
                {UndeliveredNotice.resolved_at: now, UndeliveredNotice.note: "delivered later"}
            )
            .where(UndeliveredNotice.id.is_in(ids))
            .run()
        )
