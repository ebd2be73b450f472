"""Recording domain events inside the caller's transaction, and consuming them exactly once.

Writers call `record_event` inside the same `transaction(engine)` as the change it describes, so
an event exists if and only if the change committed (the transactional outbox). Consumers call
`consume_events`: on PostgreSQL a batch is claimed with `FOR UPDATE SKIP LOCKED`, so any
number of workers share the queue; on SQLite the write transaction serialises them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from backend.events.tables import DomainEvent
from backend.lib.db import transaction
from backend.lib.time import as_utc, utcnow

PayloadValue = str | int | bool | None
_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_MAX_VALUE_CHARS = 64


class OutsideTransaction(RuntimeError):
    """`record_event` was called outside a transaction: the event could outlive a rollback."""


@dataclass(frozen=True)
class EventRecord:
    id: uuid.UUID
    kind: str
    subject_key: str
    payload: dict[str, PayloadValue]
    dedup_key: str
    created_at: datetime


def _check_payload(payload: Mapping[str, Any]) -> dict[str, PayloadValue]:
    """Flat, short scalar values only: a guard against message content leaking into events."""
    checked: dict[str, PayloadValue] = {}
    for key, value in payload.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", key):
            raise ValueError(f"event payload key {key!r} is not a short snake_case name")
        if isinstance(value, str) and len(value) > _MAX_VALUE_CHARS:
            raise ValueError(f"event payload value of {key!r} is too long for an identifier")
        if value is not None and not isinstance(value, str | int | bool):
            raise ValueError(f"event payload value of {key!r} must be a scalar identifier")
        checked[key] = value
    return checked


async def record_event(
    kind: str,
    subject_key: str,
    payload: Mapping[str, Any],
    *,
    dedup_key: str | None = None,
) -> bool:
    """Record an event in the caller's open transaction; True if new, False if `dedup_key`
    was recorded before (then nothing is written and the transaction stays usable)."""
    engine = DomainEvent._meta.db
    if not engine.transaction_exists():
        raise OutsideTransaction("record_event must run inside the caller's transaction")
    if not _KIND.match(kind):
        raise ValueError(f"event kind {kind!r} is not `<feature>.<what_happened>`")
    event_id = uuid.uuid4()
    inserted = (
        await DomainEvent.insert(
            DomainEvent(
                id=event_id,
                kind=kind,
                subject_key=subject_key,
                payload=_check_payload(payload),
                dedup_key=dedup_key or f"{kind}:{event_id}",
                created_at=utcnow(),
            )
        )
        .on_conflict(target=DomainEvent.dedup_key, action="DO NOTHING")
        .returning(DomainEvent.id)
        .run()
    )
    return bool(inserted)


def _record(row: Mapping[str, Any]) -> EventRecord:
    payload = row["payload"]
    if isinstance(payload, str):
        payload = json.loads(payload)
    return EventRecord(
        id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
        kind=row["kind"],
        subject_key=row["subject_key"],
        payload=payload,
        dedup_key=row["dedup_key"],
        created_at=as_utc(row["created_at"]),
    )


async def consume_events(
    kinds: Sequence[str],
    handler: Callable[[EventRecord], Awaitable[None]],
    *,
    limit: int = 100,
) -> int:
    """Hand up to `limit` unconsumed events of `kinds` to `handler`, oldest first, and mark them
    consumed in the same transaction as the handler's own writes. Returns how many.

    A handler that raises rolls the whole batch back; it is offered again on the next call.
    """
    if not kinds:
        return 0
    engine = DomainEvent._meta.db
    placeholders = ", ".join("{}" for _ in kinds)
    lock = " FOR UPDATE SKIP LOCKED" if isinstance(engine, PostgresEngine) else ""
    # Only constant fragments and placeholders are joined here; values are bound parameters.
    sql = (
        "SELECT id, kind, subject_key, payload, dedup_key, created_at FROM events_event "  # noqa: S608
        f"WHERE consumed_at IS NULL AND kind IN ({placeholders}) "
        f"ORDER BY created_at, id LIMIT {{}}{lock}"
    )
    async with transaction(engine):
        rows = await DomainEvent.raw(sql, *kinds, limit).run()
        records = [_record(row) for row in rows]
        for record in records:
            await handler(record)
        if records:
            await (
                DomainEvent.update({DomainEvent.consumed_at: utcnow()})
                .where(DomainEvent.id.is_in([r.id for r in records]))
                .run()
            )
    return len(records)
