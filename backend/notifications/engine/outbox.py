"""The outbox: notifications enter it in their cause's transaction; workers claim, lease and
finish them. One row per (event, person, channel), unique by `dedup_key`.

Claims: on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED` inside the claiming UPDATE, so any
number of workers take disjoint batches without waiting for each other; on SQLite one
`UPDATE … WHERE id IN (SELECT … LIMIT n) AND claimed_by IS NULL RETURNING` inside an IMMEDIATE
transaction (SQLite has one writer at a time, which serialises claims). A claim is a lease:
the sweeper puts rows whose lease ran out (a crashed worker) back in the queue. Every finish
is fenced by `claimed_by`, so a worker that lost its lease cannot overwrite the new owner.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns import Column
from piccolo.engine.postgres import PostgresEngine

from backend.lib.db import transaction
from backend.lib.time import as_utc, utcnow
from backend.notifications.engine.bulk import in_ids
from backend.notifications.tables import Outbox

# Constant SQL: every value is a bound parameter ({} placeholders, Piccolo's raw syntax).
PG_CLAIM = (
    "UPDATE notify_outbox SET status = 'sending', claimed_by = {}, lease_until = {}, "
    "attempts = attempts + 1 WHERE id IN (SELECT id FROM notify_outbox "
    "WHERE status = 'pending' AND due_at <= {} ORDER BY due_at LIMIT {} "
    "FOR UPDATE SKIP LOCKED) RETURNING id, event_key, person, subject_key, category, channel, "
    "kind, params, link, language, legal, attempts, give_up_at, delivered_to, due_at"
)
SQLITE_CLAIM = (
    "UPDATE notify_outbox SET status = 'sending', claimed_by = {}, lease_until = {}, "
    "attempts = attempts + 1 WHERE id IN (SELECT id FROM notify_outbox "
    "WHERE status = 'pending' AND due_at <= {} AND claimed_by IS NULL ORDER BY due_at "
    "LIMIT {}) AND claimed_by IS NULL RETURNING id, event_key, person, subject_key, category, "
    "channel, kind, params, link, language, legal, attempts, give_up_at, delivered_to, due_at"
)


class OutsideTransaction(RuntimeError):
    """`enqueue` ran outside a transaction: the notice could outlive its cause's rollback."""


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    event_key: str
    person: uuid.UUID
    subject_key: str
    category: str
    channel: str
    kind: str
    params: dict[str, str]
    link: str
    language: str
    legal: bool
    attempts: int
    give_up_at: datetime
    delivered_to: tuple[str, ...]
    due_at: datetime


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _time(value: Any) -> datetime:
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _claimed(row: dict[str, Any]) -> Claimed:
    return Claimed(
        id=_uuid(row["id"]),
        event_key=row["event_key"],
        person=_uuid(row["person"]),
        subject_key=row["subject_key"],
        category=row["category"],
        channel=row["channel"],
        kind=row["kind"],
        params=dict(_json(row["params"]) or {}),
        link=row["link"],
        language=row["language"],
        legal=bool(row["legal"]),
        attempts=int(row["attempts"]),
        give_up_at=_time(row["give_up_at"]),
        delivered_to=tuple(_json(row["delivered_to"]) or ()),
        due_at=_time(row["due_at"]),
    )


async def claim(
    worker_id: str, limit: int, lease_s: float, now: datetime | None = None
) -> list[Claimed]:
    """Take up to `limit` due rows for `worker_id` until `now + lease_s`."""
    now = now or utcnow()
    lease_until = now + timedelta(seconds=lease_s)
    engine = Outbox._meta.db
    if isinstance(engine, PostgresEngine):
        rows = await Outbox.raw(PG_CLAIM, worker_id, lease_until, now, limit).run()
    else:
        async with transaction(engine):
            rows = await Outbox.raw(SQLITE_CLAIM, worker_id, lease_until, now, limit).run()
    return sorted((_claimed(row) for row in rows), key=lambda c: c.due_at)


def _fenced(row_id: uuid.UUID, worker_id: str) -> Any:
    return (Outbox.id == row_id) & (Outbox.claimed_by == worker_id) & (Outbox.status == "sending")


_RELEASE: dict[Column | str, Any] = {Outbox.claimed_by: None, Outbox.lease_until: None}


async def mark_sent(ids: Sequence[uuid.UUID], worker_id: str, now: datetime) -> list[uuid.UUID]:
    """Mark rows this worker still holds as sent; returns those it did (the others were
    re-claimed by someone else after our lease ran out)."""
    if not ids:
        return []
    clause, args = in_ids(Outbox, "id", ids)
    sql = (
        "UPDATE notify_outbox SET status = 'sent', finished_at = {}, outcome = NULL, "  # noqa: S608
        f"claimed_by = NULL, lease_until = NULL WHERE {clause} AND claimed_by = {{}} "
        "AND status = 'sending' RETURNING id"
    )
    rows = await Outbox.raw(sql, now, *args, worker_id).run()
    return [_uuid(row["id"]) for row in rows]


async def reschedule(
    row_id: uuid.UUID,
    worker_id: str,
    due_at: datetime,
    delivered_to: Sequence[str],
    outcome: str | None,
) -> bool:
    done = await (
        Outbox.update(
            {
                Outbox.status: "pending",
                Outbox.due_at: due_at,
                Outbox.delivered_to: json.dumps(list(delivered_to)),
                Outbox.outcome: outcome,
                **_RELEASE,
            }
        )
        .where(_fenced(row_id, worker_id))
        .returning(Outbox.id)
        .run()
    )
    return bool(done)


async def finish(
    row_id: uuid.UUID, worker_id: str, status: str, outcome: str | None, now: datetime
) -> bool:
    """End a row as `failed` or `skipped` (or `sent`, one at a time) with the reason."""
    done = await (
        Outbox.update(
            {Outbox.status: status, Outbox.outcome: outcome, Outbox.finished_at: now, **_RELEASE}
        )
        .where(_fenced(row_id, worker_id))
        .returning(Outbox.id)
        .run()
    )
    return bool(done)


async def end_abandoned(now: datetime, outcome: str) -> list[dict[str, Any]]:
    """End as failed the outreach rows whose lease expired after their give-up time: a row
    whose batches keep dying (the worker killed mid-send, every time) must not be re-queued
    forever, re-sent with every batch it lands in. In-app rows are only ever queued again
    (nothing is sent for them: they cannot be what kills a batch). Returns the rows ended
    (person, event_key, legal)."""
    rows: list[dict[str, Any]] = await (
        Outbox.update(
            {Outbox.status: "failed", Outbox.outcome: outcome, Outbox.finished_at: now, **_RELEASE}
        )
        .where(
            (Outbox.status == "sending")
            & (Outbox.lease_until < now)
            & (Outbox.give_up_at < now)
            & (Outbox.channel != "inapp")
        )
        .returning(Outbox.person, Outbox.event_key, Outbox.legal)
        .run()
    )
    return rows


async def sweep(now: datetime | None = None) -> int:
    """Put rows whose lease expired (their worker died or hung) back in the queue."""
    now = now or utcnow()
    rows = await (
        Outbox.update({Outbox.status: "pending", **_RELEASE})
        .where((Outbox.status == "sending") & (Outbox.lease_until < now))
        .returning(Outbox.id)
        .run()
    )
    return len(rows)


async def outreach_statuses(person: uuid.UUID, event_key: str) -> list[str]:
    """Statuses of a person's push/e-mail/SMS rows for one event."""
    rows = await (
        Outbox.select(Outbox.status)
        .where(
            (Outbox.person == person)
            & (Outbox.event_key == event_key)
            & Outbox.channel.is_in(["push", "email", "sms"])
        )
        .run()
    )
    return [row["status"] for row in rows]
