"""The delivery engine: claim a batch, send every row on its channel concurrently, record
every result of the batch in one transaction, then nudge open pages.

Retries go back into the outbox with a new `due_at` (capped exponential backoff with jitter,
never sooner than a Retry-After); nothing waits in memory, so a crash loses nothing. A row
still failing past its `give_up_at` ends `failed`; for a legal notice that leaves no outreach
channel, the operator report gets it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime

from backend.eaddress.notices import MESSAGE_RECEIVED, UNREAD_ESCALATION
from backend.eaddress.storage.receipts import record_notified_many
from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.notifications.channels.base import AttemptRecord, RowResult
from backend.notifications.engine import health, outbox
from backend.notifications.engine.backoff import next_attempt_at
from backend.notifications.engine.bulk import insert_rows
from backend.notifications.engine.dispatch import dispatch, load_context
from backend.notifications.engine.outbox import Claimed
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, InAppNotification, Outbox

log = logging.getLogger("vienuviet.notifications")


def worker_id(loop: int = 0) -> str:
    """Unique per delivery loop: host, process, loop number and a random suffix."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{loop}:{uuid.uuid4().hex[:8]}"


async def deliver_batch(
    rt: NotificationRuntime, worker: str, *, now: datetime | None = None
) -> int:
    """Deliver one batch of due rows; returns how many rows were claimed."""
    cfg = rt.settings.notifications
    rows = await outbox.claim(worker, cfg.batch_size, cfg.lease_s, now)
    if not rows:
        return 0
    context = await load_context(rows)
    results = await asyncio.gather(*(dispatch(rt, row, context) for row in rows))
    inapp = await record(rt, results, worker, now or utcnow())
    for person, item_id in inapp:
        await rt.publish_live(person, {"type": "notification", "id": str(item_id)})
    return len(rows)


ABANDONED = "gave_up:lease_expired"


async def sweep(now: datetime | None = None) -> int:
    """The sweeper: rows whose lease expired (their worker died or hung) go back in the
    queue, except those past their give-up time, which end failed like any row out of time
    (a legal one in the undelivered report). Returns how many rows it moved."""
    now = now or utcnow()
    async with transaction(Outbox._meta.db):
        ended = await outbox.end_abandoned(now, ABANDONED)
        for row in ended:
            if row["legal"]:
                await health.legal_notice_ended(
                    uuid.UUID(str(row["person"])), row["event_key"], ABANDONED, now
                )
    if ended:
        log.warning("%s outbox rows ended: their batches never finished in time", len(ended))
    return len(ended) + await outbox.sweep(now)


async def record(
    rt: NotificationRuntime, results: Sequence[RowResult], worker: str, now: datetime
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Write a batch's outcomes atomically; returns the in-app items created."""
    cfg = rt.settings.notifications
    created: list[tuple[uuid.UUID, uuid.UUID]] = []
    async with transaction(Outbox._meta.db):
        sent = [r for r in results if r.status == "sent"]
        marked = set(await _mark_sent(sent, worker, now))
        ended: list[tuple[RowResult, str]] = []
        for result in results:
            row = result.row
            if result.status == "retry":
                due = next_attempt_at(
                    now,
                    row.attempts,
                    base_s=cfg.backoff_base_s,
                    cap_s=cfg.backoff_max_s,
                    retry_after_s=result.retry_after_s,
                )
                if due <= row.give_up_at:
                    reason = result.reason[:40] if result.reason else None
                    await outbox.reschedule(row.id, worker, due, result.delivered_to, reason)
                    continue
                # Out of time: a partial push (some devices took it) still counts as sent.
                status = "sent" if result.delivered_to else "failed"
                reason = f"gave_up:{result.reason or 'retry'}"[:40]
                if await outbox.finish(row.id, worker, status, reason, now) and status == "failed":
                    ended.append((result, reason))
            elif result.status in ("failed", "skipped"):
                reason = (result.reason or result.status)[:40]
                if await outbox.finish(row.id, worker, result.status, reason, now):
                    ended.append((result, reason))
        created = await _create_inapp(
            [r for r in sent if r.row.id in marked and r.row.channel == "inapp"], now
        )
        await _attempts(results, now)
        await health.succeeded(
            [t for r in results if r.row.channel == "push" for t in r.succeeded],
            [t for r in results if r.row.channel != "push" for t in r.succeeded],
            now,
        )
        await health.devices_gone([t for r in results for t in r.gone], now, cfg)
        for result in results:
            if result.blamed:
                await health.blame(
                    result.row.channel, result.blamed, result.reason or "failed", now, cfg
                )
        for result, reason in ended:
            if result.row.legal and result.row.channel != "inapp":
                await health.legal_notice_ended(
                    result.row.person, result.row.event_key, reason, now
                )
        await health.legal_notices_sent(
            [(r.row.person, r.row.event_key) for r in sent if r.row.legal and r.row.id in marked],
            now,
        )
        await _notified_receipts([r.row for r in sent if r.row.id in marked], now)
    return created


RECEIPT_KINDS = frozenset({MESSAGE_RECEIVED, UNREAD_ESCALATION})
RECEIPT_CHANNEL = {"push": "webpush", "email": "email", "sms": "sms", "inapp": "inapp"}


async def _notified_receipts(rows: Sequence[Claimed], now: datetime) -> None:
    """The e-address receipt chain's "notified (channel)": written with the sent mark, so a
    message shows notified exactly when a notice of it went out on that channel."""
    wanted: list[tuple[uuid.UUID, str]] = []
    for row in rows:
        if row.kind not in RECEIPT_KINDS or "message_id" not in row.params:
            continue
        try:
            wanted.append((uuid.UUID(row.params["message_id"]), RECEIPT_CHANNEL[row.channel]))
        except ValueError:
            continue  # not an e-address message id (a hand-made notice): no chain to extend
    await record_notified_many(wanted, at=now)  # the e-address's own function, not its tables


async def _mark_sent(sent: Sequence[RowResult], worker: str, now: datetime) -> list[uuid.UUID]:
    ids = [r.row.id for r in sent]
    done = await outbox.mark_sent(ids, worker, now)
    if len(done) < len(ids):
        log.warning(
            "%s rows were re-claimed by another worker before we finished", len(ids) - len(done)
        )
    return done


async def _create_inapp(
    results: Sequence[RowResult], now: datetime
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    items = [
        InAppNotification(
            id=uuid.uuid4(),
            person=r.row.person,
            outbox_id=r.row.id,
            subject_key=r.row.subject_key,
            category=r.row.category,
            kind=r.row.kind,
            params=r.row.params,
            link=r.row.link,
            created_at=now,
        )
        for r in results
    ]
    if not items:
        return []
    inserted = await (
        InAppNotification.insert(*items)
        .on_conflict(target=InAppNotification.outbox_id, action="DO NOTHING")
        .returning(InAppNotification.id, InAppNotification.person)
        .run()
    )
    return [(uuid.UUID(str(row["person"])), uuid.UUID(str(row["id"]))) for row in inserted]


ATTEMPT_COLUMNS = (
    "id",
    "outbox",
    "at",
    "channel",
    "target_id",
    "outcome",
    "status_code",
    "error_class",
    "duration_ms",
)


async def _attempts(results: Sequence[RowResult], now: datetime) -> None:
    """One row per attempt (skipped rows too, with their reason): no content, ever."""
    rows: list[tuple[object, ...]] = []
    for result in results:
        attempts = result.attempts or (
            [AttemptRecord(result.row.channel, None, "skipped", None, result.reason)]
            if result.status == "skipped"
            else []
        )
        for a in attempts:
            error = a.error_class[:64] if a.error_class else None
            rows.append(
                (
                    uuid.uuid4(),
                    result.row.id,
                    now,
                    a.channel,
                    a.target_id,
                    a.outcome,
                    a.status_code,
                    error,
                    a.duration_ms,
                )
            )
    await insert_rows(Attempt, ATTEMPT_COLUMNS, rows)
