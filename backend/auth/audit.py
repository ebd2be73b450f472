"""The audit trail: who did what, on whose behalf. Identifiers and scopes only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.auth.tables import AuditEvent
from backend.lib.time import as_utc


@dataclass(frozen=True)
class AuditEntry:
    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    subject_key: str
    action: str
    object_id: str | None
    detail: dict[str, Any]


async def record(
    action: str,
    *,
    actor_id: uuid.UUID | None,
    subject_key: str,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event (inside the caller's transaction, when there is one)."""
    await AuditEvent.insert(
        AuditEvent(
            actor=actor_id,
            subject_key=subject_key,
            action=action,
            object_id=object_id,
            detail=detail or {},
        )
    ).run()


async def entries_for(subject_key: str, *, limit: int = 100) -> list[AuditEntry]:
    rows = await (
        AuditEvent.select()
        .where(AuditEvent.subject_key == subject_key)
        .order_by(AuditEvent.at, ascending=False)
        .limit(limit)
        .output(load_json=True)
        .run()
    )
    return [
        AuditEntry(
            id=row["id"],
            at=as_utc(row["at"]),
            actor_id=row["actor"],
            subject_key=row["subject_key"],
            action=row["action"],
            object_id=row["object_id"],
            detail=row["detail"] or {},
        )
        for row in rows
    ]
