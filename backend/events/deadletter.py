"""Dead-lettered domain events, for operators: `vienuviet report dead-letters` lists them and
`vienuviet events retry ID|--all` puts them back in the queue.

A dead letter is an event its consumer failed `EVENTS_MAX_ATTEMPTS` times. The list shows ids,
the event's kind, the consumer, the attempts and the last error's type — never the payload
(which names people) or the error's message (which may quote it). An operator finds the cause
in the logs by the event id, fixes it, and retries.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from backend.events.tables import DomainEvent
from backend.lib.time import age_text, as_utc


@dataclass(frozen=True)
class DeadLetter:
    id: uuid.UUID
    kind: str
    consumer: str
    attempts: int
    last_error: str
    created_at: datetime
    dead_at: datetime


async def dead_letters(limit: int = 1000) -> list[DeadLetter]:
    """Dead-lettered events, oldest dead first."""
    rows = await (
        DomainEvent.select(
            DomainEvent.id,
            DomainEvent.kind,
            DomainEvent.consumer,
            DomainEvent.attempts,
            DomainEvent.last_error,
            DomainEvent.created_at,
            DomainEvent.dead_at,
        )
        .where(DomainEvent.dead_at.is_not_null() & DomainEvent.consumed_at.is_null())
        .order_by(DomainEvent.dead_at)
        .limit(limit)
        .run()
    )
    return [
        DeadLetter(
            id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
            kind=row["kind"],
            consumer=row["consumer"] or "-",
            attempts=int(row["attempts"]),
            last_error=row["last_error"] or "-",
            created_at=as_utc(row["created_at"]),
            dead_at=as_utc(row["dead_at"]),
        )
        for row in rows
    ]


async def retry(ids: Sequence[uuid.UUID] | None) -> list[uuid.UUID]:
    """Put dead-lettered events back in the queue, due now, with a fresh budget of attempts
    (`ids`, or every dead letter when None). Returns the ids requeued; ids that are not dead
    letters (unknown, consumed, still retrying) are left alone."""
    where = DomainEvent.dead_at.is_not_null() & DomainEvent.consumed_at.is_null()
    if ids is not None:
        if not ids:
            return []
        where &= DomainEvent.id.is_in(list(ids))
    rows = await (
        DomainEvent.update(
            {DomainEvent.dead_at: None, DomainEvent.retry_at: None, DomainEvent.attempts: 0}
        )
        .where(where)
        .returning(DomainEvent.id)
        .run()
    )
    return [r["id"] if isinstance(r["id"], uuid.UUID) else uuid.UUID(str(r["id"])) for r in rows]


def format_dead_letters(lines: Sequence[DeadLetter], now: datetime | None = None) -> str:
    if not lines:
        return "No dead-lettered events."
    header = (
        f"{'id':36}  {'event':36}  {'consumer':16}  {'attempts':>8}  {'dead for':>8}  last error"
    )
    out = [header, "-" * len(header)]
    for line in lines:
        out.append(
            f"{line.id!s:36}  {line.kind:36}  {line.consumer:16}  {line.attempts:>8}  "
            f"{age_text(line.dead_at, now):>8}  {line.last_error}"
        )
    out.append(
        f"{len(lines)} dead-lettered event(s). Fix the cause, then: vienuviet events retry ID|--all"
    )
    return "\n".join(out)
