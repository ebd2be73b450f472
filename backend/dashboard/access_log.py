"""The data-access log: every registry read made for a subject, and every first opening of
an e-address message of the subject's mailbox, browsable by that subject.

A row says when, which source, for what purpose, on whose behalf and with what outcome. It
never holds a payload, a personal code, nor (for an opening) the message's subject or body.
Pages are keyset-paginated on the row id (newest first), so a page is stable while new reads
are appended.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.auth.people import person_names
from backend.dashboard.subjects import Actor, OnBehalf
from backend.dashboard.tables import DataAccess
from backend.lib.errors import BadInput
from backend.lib.time import as_utc

MAX_PAGE = 100

EADDRESS = "eaddress"
"""The source of an opening: not a registry, the subject's own mailbox."""
MESSAGE_OPENED = "message_opened"


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: datetime
    source: str
    purpose: str
    on_behalf: OnBehalf
    actor_id: uuid.UUID | None
    actor_name: str | None
    outcome: str


@dataclass(frozen=True)
class AccessPage:
    entries: list[AccessEntry]
    end_cursor: str | None
    has_next_page: bool


async def record(subject_key: str, source: str, actor: Actor, outcome: str) -> None:
    await DataAccess.insert(
        DataAccess(
            subject_key=subject_key,
            source=source,
            purpose=actor.purpose,
            on_behalf=actor.on_behalf.value,
            actor=actor.person_id,
            outcome=outcome,
        )
    ).run()


async def record_opening(subject_key: str, person_id: uuid.UUID, on_behalf: OnBehalf) -> None:
    """The first opening of a message of `subject_key`'s mailbox by `person_id` (inside the
    caller's transaction, with the `opened` receipt)."""
    await record(subject_key, EADDRESS, Actor(on_behalf, MESSAGE_OPENED, person_id), "ok")


def encode_cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"access:{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind != "access" or not number.isdigit():
            raise ValueError
        return int(number)
    except ValueError:
        raise BadInput("That page cursor is not valid.", code="invalid_cursor") from None


def _actor(row: dict[str, Any]) -> uuid.UUID | None:
    actor = row["actor"]
    return (
        None if actor is None else actor if isinstance(actor, uuid.UUID) else uuid.UUID(str(actor))
    )


async def page(subject_key: str, *, first: int = 20, after: str | None = None) -> AccessPage:
    """Reads of `subject_key`'s data, newest first, `first` at a time after `after`."""
    if not 1 <= first <= MAX_PAGE:
        raise BadInput(f"Ask for 1 to {MAX_PAGE} entries at a time.", code="invalid_page_size")
    condition: Any = DataAccess.subject_key == subject_key
    if after is not None:
        condition = condition & (DataAccess.id < decode_cursor(after))
    rows = await (
        DataAccess.select()
        .where(condition)
        .order_by(DataAccess.id, ascending=False)
        .limit(first + 1)
    )
    more = len(rows) > first
    rows = rows[:first]
    names = await person_names(_actor(row) for row in rows)
    entries = [
        AccessEntry(
            id=row["id"],
            at=as_utc(row["at"]),
            source=row["source"],
            purpose=row["purpose"],
            on_behalf=OnBehalf(row["on_behalf"]),
            actor_id=row["actor"],
            actor_name=names.get(actor) if (actor := _actor(row)) else None,
            outcome=row["outcome"],
        )
        for row in rows
    ]
    end = encode_cursor(entries[-1].id) if entries else None
    return AccessPage(entries=entries, end_cursor=end, has_next_page=more)
