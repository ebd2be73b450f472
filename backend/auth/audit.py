"""The audit trail: who did what, on whose behalf. Identifiers and scopes only."""

from __future__ import annotations

import uuid
from typing import Any

from backend.auth.tables import AuditEvent


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
