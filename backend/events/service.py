"""Recording domain events inside the caller's transaction, and consuming them exactly once.

Writers call `record_event` inside the same `transaction(engine)` as the change it describes, so
an event exists if and only if the change committed (the transactional outbox). Consumers call
`consume_events`: a batch is claimed (its attempts counted, `FOR UPDATE SKIP LOCKED` on
PostgreSQL so any number of workers share the queue; on SQLite the write transaction
serialises them), then each event is handled in its own transaction. A failing event is
retried with backoff and dead-lettered after `EVENTS_MAX_ATTEMPTS`; it never holds up the
others (`backend.events.deadletter` lists and retries dead letters for operators).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from backend.events.tables import DomainEvent
from backend.lib.backoff import backoff_delay_s
from backend.lib.db import transaction
from backend.lib.statements import Statement, insert
from backend.lib.time import as_utc, utcnow
from backend.settings import EventSettings

log = logging.getLogger("vienuviet.events")

PayloadValue = str | int | bool | None
_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_MAX_VALUE_CHARS = 64
_MAX_ERROR_CHARS = 120


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


def event_statement(
    kind: str,
    subject_key: str,
    payload: Mapping[str, Any],
    *,
    dedup_key: str | None = None,
    created_at: datetime | None = None,
) -> Statement:
    """The INSERT for one event (a repeated `dedup_key` inserts nothing), for callers that
    write it together with their own rows through `backend.lib.statements.run_atomically`."""
    if not _KIND.match(kind):
        raise ValueError(f"event kind {kind!r} is not `<feature>.<what_happened>`")
    event_id = uuid.uuid4()
    return insert(
        "events_event",
        ("id", "kind", "subject_key", "payload", "dedup_key", "created_at"),
        [
            (
                event_id,
                kind,
                subject_key,
                json.dumps(_check_payload(payload), separators=(",", ":")),
                dedup_key or f"{kind}:{event_id}",
                created_at or utcnow(),
            )
        ],
        suffix="ON CONFLICT (dedup_key) DO NOTHING",
    )


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
    statement = event_statement(kind, subject_key, payload, dedup_key=dedup_key)
    inserted = await DomainEvent.raw(f"{statement.sql} RETURNING id", *statement.args).run()
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


def error_type(exc: BaseException) -> str:
    """What a failure is recorded and reported as: the exception's type, never its message
    (messages quote values, and payloads name people)."""
    cls = type(exc)
    name = (
        cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    )
    return name[-_MAX_ERROR_CHARS:]


async def _claim(
    kinds: Sequence[str], consumer: str, limit: int, now: datetime, lease_s: float
) -> list[tuple[EventRecord, int]]:
    """Take up to `limit` due events of `kinds`, oldest first, counting the attempt now.

    The claim is committed before any handler runs: an attempt that kills its worker still
    counts, so even an event that crashes the process reaches the dead letter. `retry_at`
    becomes the lease; another worker may take the event only after it ends.
    """
    engine = DomainEvent._meta.db
    placeholders = ", ".join("{}" for _ in kinds)
    lock = " FOR UPDATE SKIP LOCKED" if isinstance(engine, PostgresEngine) else ""
    # Only constant fragments and placeholders are joined here; values are bound parameters.
    sql = (
        "UPDATE events_event SET attempts = attempts + 1, retry_at = {}, consumer = {} "  # noqa: S608
        "WHERE id IN (SELECT id FROM events_event WHERE consumed_at IS NULL "
        f"AND dead_at IS NULL AND kind IN ({placeholders}) "
        "AND (retry_at IS NULL OR retry_at <= {}) "
        f"ORDER BY created_at, id LIMIT {{}}{lock}) "
        "RETURNING id, kind, subject_key, payload, dedup_key, created_at, attempts"
    )
    lease_until = now + timedelta(seconds=lease_s)
    async with transaction(engine):  # SQLite: one writer at a time serialises claims
        rows = await DomainEvent.raw(sql, lease_until, consumer, *kinds, now, limit).run()
    claimed = [(_record(row), int(row["attempts"])) for row in rows]
    return sorted(claimed, key=lambda pair: (pair[0].created_at, str(pair[0].id)))


class _ClaimLost(Exception):
    """Our lease ran out and another worker took the event: undo what the handler wrote."""


# The attempt count identifies a claim (a later claim has a higher one): a worker whose lease
# ran out cannot finish or fail an event another worker has taken since.
_FENCE = "id = {} AND attempts = {} AND consumed_at IS NULL AND dead_at IS NULL"


async def _consume_one(
    record: EventRecord, attempts: int, handler: Callable[[EventRecord], Awaitable[None]]
) -> None:
    """The handler's writes and the consumed mark, in one transaction (exactly once)."""
    engine = DomainEvent._meta.db
    async with transaction(engine):
        await handler(record)
        done = await DomainEvent.raw(
            "UPDATE events_event SET consumed_at = {}, retry_at = NULL "  # noqa: S608
            f"WHERE {_FENCE} RETURNING id",
            utcnow(),
            record.id,
            attempts,
        ).run()
        if not done:
            raise _ClaimLost


async def _record_failure(
    record: EventRecord,
    attempts: int,
    *,
    consumer: str,
    exc: Exception,
    settings: EventSettings,
    now: datetime,
) -> None:
    """Schedule the next attempt after a backoff, or dead-letter the event after the last."""
    error = error_type(exc)
    dead = attempts >= settings.max_attempts
    retry_at = None
    if not dead:
        delay = backoff_delay_s(
            attempts, base_s=settings.backoff_base_s, cap_s=settings.backoff_cap_s
        )
        retry_at = now + timedelta(seconds=delay)
    await DomainEvent.raw(
        "UPDATE events_event SET retry_at = {}, dead_at = {}, last_error = {} "  # noqa: S608
        f"WHERE {_FENCE}",
        retry_at,
        now if dead else None,
        error,
        record.id,
        attempts,
    ).run()
    if dead:
        log.error(
            "domain event %s (%s) dead-lettered by %s after %d attempts: %s",
            record.id,
            record.kind,
            consumer,
            attempts,
            error,
        )
    else:
        log.warning(
            "domain event %s (%s) failed in %s, attempt %d of %d: %s",
            record.id,
            record.kind,
            consumer,
            attempts,
            settings.max_attempts,
            error,
        )


async def consume_events(
    kinds: Sequence[str],
    handler: Callable[[EventRecord], Awaitable[None]],
    *,
    consumer: str,
    settings: EventSettings | None = None,
    limit: int = 100,
    now: datetime | None = None,
) -> int:
    """Hand up to `limit` due events of `kinds` to `handler` one at a time, oldest first, each
    marked consumed in the same transaction as the handler's own writes. Returns how many were
    consumed.

    A handler that raises undoes only its own event: the others of the batch are consumed all
    the same. The failed event is offered again after an exponential backoff with jitter, and
    after `settings.max_attempts` attempts it is dead-lettered (`backend.events.deadletter`).
    `consumer` names the consumer in the report; each kind has exactly one consumer. `now`
    lets tests move the clock.
    """
    if not kinds:
        return 0
    settings = settings or EventSettings()
    claimed = await _claim(kinds, consumer, limit, now or utcnow(), settings.lease_s)
    consumed = 0
    for record, attempts in claimed:
        try:
            await _consume_one(record, attempts, handler)
        except _ClaimLost:
            log.warning("domain event %s: claim lost to another worker", record.id)
        except Exception as exc:  # one event's failure is that event's alone
            await _record_failure(
                record,
                attempts,
                consumer=consumer,
                exc=exc,
                settings=settings,
                now=now or utcnow(),
            )
        else:
            consumed += 1
    return consumed
