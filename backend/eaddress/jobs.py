"""E-address background jobs: unread escalations, forgetting old idempotency keys, sweeping
orphaned blobs. Each is idempotent and safe with several workers at once."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from backend.eaddress.institution_api import idempotency
from backend.eaddress.notices import UNREAD_ESCALATION
from backend.eaddress.storage.blobs import LocalBlobStore
from backend.eaddress.tables import Attachment, Message
from backend.events.service import record_event
from backend.lib.db import transaction
from backend.lib.jobs import Job
from backend.lib.workdays import nth_working_day_after, riga_date

if TYPE_CHECKING:
    from backend.services import Services

ESCALATION = UNREAD_ESCALATION
# Past this many days after the deemed date an escalation no longer helps anyone.
ESCALATION_LOOKBACK_DAYS = 7
ORPHAN_AGE_S = 24 * 3600


def escalation_horizon(today: date, working_days_before: int) -> date:
    """Escalate messages deemed delivered on or before this date.

    "N working days before the deemed date D has come" is the same as "D is at most the N-th
    working day after today": no working day lies strictly between them.
    """
    if working_days_before == 0:
        return today
    return nth_working_day_after(today, working_days_before)


async def raise_unread_escalations(
    services: Services, *, today: date | None = None, batch: int = 200
) -> int:
    """One event per message still unopened as its deemed-delivered date approaches."""
    ctx = services.eaddress
    today = today or riga_date(ctx.clock())
    horizon = escalation_horizon(today, ctx.settings.escalation_working_days_before)
    # The f-string inserts a constant; dates and the limit are bound parameters.
    rows = await Message.raw(
        "SELECT m.id, m.account, m.deemed_delivered_on, a.subject_key FROM eaddress_message m "  # noqa: S608
        "JOIN eaddress_account a ON a.id = m.account "
        "WHERE m.direction = 'in' AND m.deemed_delivered_on >= {} "
        "AND m.deemed_delivered_on <= {} "
        "AND NOT EXISTS (SELECT 1 FROM eaddress_receipt r WHERE r.message = m.id "
        "AND r.kind = 'opened' AND r.channel = '') "
        "AND NOT EXISTS (SELECT 1 FROM events_event e "
        f"WHERE e.dedup_key = '{ESCALATION}:' || CAST(m.id AS VARCHAR)) "
        "ORDER BY m.deemed_delivered_on, m.id LIMIT {}",
        today - timedelta(days=ESCALATION_LOOKBACK_DAYS),
        horizon,
        batch,
    ).run()
    raised = 0
    async with transaction(Message._meta.db):
        for row in rows:
            on = row["deemed_delivered_on"]
            raised += await record_event(
                ESCALATION,
                row["subject_key"],
                {
                    "message_id": str(row["id"]),
                    "account_id": str(row["account"]),
                    "deemed_delivered_on": str(on)[:10],
                },
                dedup_key=f"{ESCALATION}:{row['id']}",
            )
    return raised


async def purge_idempotency_keys(services: Services) -> int:
    return await idempotency.purge_older_than(services.eaddress.settings.idempotency_ttl_hours)


async def sweep_orphan_blobs(services: Services) -> int:
    """Delete stored files no attachment row refers to, a day after they were last written
    (a failed send leaves its uploads behind; a re-used blob has its age refreshed)."""
    store = services.eaddress.blobs
    if not isinstance(store, LocalBlobStore):
        return 0
    await asyncio.to_thread(_remove_stale_temp_files, store.root / "tmp")
    candidates = await asyncio.to_thread(store.stored_digests_older_than, ORPHAN_AGE_S)
    removed = 0
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        used = set(
            await Attachment.select(Attachment.sha256)
            .where(Attachment.sha256.is_in(chunk))
            .output(as_list=True)
            .run()
        )
        for digest in chunk:
            if digest not in used:
                await asyncio.to_thread(store.delete, digest)
                removed += 1
    return removed


def _remove_stale_temp_files(directory: Path) -> None:
    cutoff = time.time() - ORPHAN_AGE_S
    for path in directory.glob("upload-*") if directory.exists() else ():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def jobs() -> list[Job[Services]]:
    return [
        Job("eaddress.unread_escalations", raise_unread_escalations, idle_interval_s=300),
        Job("eaddress.purge_idempotency_keys", purge_idempotency_keys, idle_interval_s=3600),
        Job("eaddress.sweep_orphan_blobs", sweep_orphan_blobs, idle_interval_s=3600),
    ]
