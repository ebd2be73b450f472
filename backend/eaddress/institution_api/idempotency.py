"""`Idempotency-Key` for institution requests: the first answer is kept and replayed.

The key row is inserted inside the message's own transaction, first, so that of two requests
racing with one key exactly one commits: on PostgreSQL the second insert waits on the unique
index until the first transaction ends, then fails and replays the first answer; on SQLite the
write transactions are serialised. Failed requests store nothing, so they may be retried.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.eaddress.institution_api.tokens import InvalidToken
from backend.eaddress.tables import IdempotencyRecord
from backend.lib.errors import BadInput, Unprocessable
from backend.lib.statements import Statement, insert
from backend.lib.time import utcnow

HEADER = "Idempotency-Key"
KEY_PATTERN = "^[!-~]{1,255}$"
"""1-255 visible ASCII characters; the same expression in Python and in the OpenAPI (ECMA)."""
_KEY = re.compile(KEY_PATTERN)
CONFLICT_CODE = "idempotency_key_in_use"


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: dict[str, Any]
    replayed: bool


def check_key(value: str | None) -> str:
    if value is None or value == "":
        raise BadInput(
            "This call needs an Idempotency-Key header (e.g. a UUID) so that a retry cannot "
            "send the message twice.",
            code="idempotency_key_missing",
        )
    if not _KEY.fullmatch(value):
        raise BadInput(
            "The Idempotency-Key must be 1-255 visible ASCII characters.",
            code="idempotency_key_invalid",
        )
    return value


def answer_from_row(row: dict[str, Any] | None, fingerprint: str) -> StoredAnswer | None:
    """Interpret a row of `eaddress_institution i LEFT JOIN eaddress_idempotency k` (columns
    `i.disabled_at`, `k.request_sha256`, `k.status_code`, `k.response`): InvalidToken if the
    institution is gone or disabled, the earlier answer if the key was used, else None."""
    if row is None or row["disabled_at"] is not None:
        raise InvalidToken("This institution's access has been withdrawn.")
    if row["request_sha256"] is None:
        return None
    if row["request_sha256"] != fingerprint:
        raise _reused()
    response = row["response"]
    body = json.loads(response) if isinstance(response, str) else response
    return StoredAnswer(status_code=row["status_code"], body=body, replayed=True)


def _reused() -> Unprocessable:
    return Unprocessable(
        "This Idempotency-Key was used for a different request.", code="idempotency_key_reused"
    )


async def stored_answer(
    institution_id: uuid.UUID, key: str, fingerprint: str
) -> StoredAnswer | None:
    """The answer given before to this key, or None; 422 if the key came with another body."""
    row = (
        await IdempotencyRecord.select(
            IdempotencyRecord.request_sha256,
            IdempotencyRecord.status_code,
            IdempotencyRecord.response,
        )
        .where((IdempotencyRecord.institution == institution_id) & (IdempotencyRecord.key == key))
        .first()
        .output(load_json=True)
        .run()
    )
    if row is None:
        return None
    if row["request_sha256"] != fingerprint:
        raise _reused()
    return StoredAnswer(status_code=row["status_code"], body=row["response"], replayed=True)


def remember(
    institution_id: uuid.UUID,
    key: str,
    fingerprint: str,
    *,
    status_code: int,
    body: dict[str, Any],
    at: datetime,
) -> Statement:
    """The INSERT claiming `key`, written together with the message it answers. A duplicate
    fails on the unique index (callers turn that into UniqueViolation(CONFLICT_CODE))."""
    return insert(
        "eaddress_idempotency",
        ("id", "institution", "key", "request_sha256", "status_code", "response", "created_at"),
        [
            (
                uuid.uuid4(), institution_id, key, fingerprint, status_code,
                json.dumps(body, separators=(",", ":")), at,
            )
        ],
    )  # fmt: skip


async def purge_older_than(hours: int, *, batch: int = 1000) -> int:
    """Forget answers older than `hours` (at least 24, enforced by settings); returns count."""
    cutoff = utcnow() - timedelta(hours=hours)
    ids = (
        await IdempotencyRecord.select(IdempotencyRecord.id)
        .where(IdempotencyRecord.created_at < cutoff)
        .limit(batch)
        .output(as_list=True)
        .run()
    )
    if ids:
        await IdempotencyRecord.delete().where(IdempotencyRecord.id.is_in(ids)).run()
    return len(ids)
