"""The in-app channel: a notice delivered in-app is a row of the person's list, written with
the batch's outcomes (`engine/delivery.py`); this module is that list — newest first,
read/unread, rendered in the reader's language — and the channel the dispatcher calls.

Items store the kind and its parameters, not text, so a person who switches language sees
their whole list in the new one. Live updates go to Litestar channels (`live_channel`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from backend.lib.time import as_utc, utcnow
from backend.notifications.channels.base import AttemptRecord, BatchContext, RowResult
from backend.notifications.engine.outbox import Claimed
from backend.notifications.render.messages import render
from backend.notifications.tables import InAppNotification

MAX_PAGE = 100


class InAppChannel:
    """Always delivered: the row itself is what the person reads (delivery writes it)."""

    name: ClassVar[str] = "inapp"

    async def deliver(self, row: Claimed, targets: BatchContext) -> RowResult:
        return RowResult(row, "sent", attempts=[AttemptRecord("inapp", None, "delivered")])


@dataclass(frozen=True)
class InAppItem:
    id: uuid.UUID
    subject_key: str
    category: str
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool
    message_id: str | None = None
    """The e-address message a mail notice is about (a key, never shown): the signed-in list
    names its sender and subject (`backend/eaddress/notice_headers.py`)."""


def _item(row: dict[str, Any], public_url: str) -> InAppItem:
    params = row["params"]
    if isinstance(params, str):  # SQLite hands JSON back as text
        params = json.loads(params)
    rendered = render(row["kind"], params or {}, row["link"], public_url)
    return InAppItem(
        id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
        subject_key=row["subject_key"],
        category=row["category"],
        kind=row["kind"],
        title=rendered.title,
        body=rendered.body,
        link=row["link"],
        created_at=as_utc(row["created_at"]),
        read=row["read_at"] is not None,
        message_id=str(params["message_id"]) if (params or {}).get("message_id") else None,
    )


async def list_items(
    person_id: uuid.UUID,
    public_url: str,
    *,
    unread_only: bool = False,
    limit: int = 20,
    before: tuple[datetime, uuid.UUID] | None = None,
    ids: Sequence[uuid.UUID] | None = None,
) -> list[InAppItem]:
    """A page of the person's notifications (in the current language), newest first.
    `before` is the (created_at, id) of the last item of the previous page: items of one
    delivery batch share their created_at, so the id breaks the tie."""
    where: Any = InAppNotification.person == person_id
    if unread_only:
        where &= InAppNotification.read_at.is_null()
    if before is not None:
        at, last_id = before
        where &= (InAppNotification.created_at < at) | (
            (InAppNotification.created_at == at) & (InAppNotification.id < last_id)
        )
    if ids is not None:
        where &= InAppNotification.id.is_in(list(ids) or [uuid.uuid4()])
    rows = await (
        InAppNotification.select()
        .where(where)
        .order_by(InAppNotification.created_at, InAppNotification.id, ascending=False)
        .limit(max(1, min(limit, MAX_PAGE)))
        .run()
    )
    return [_item(row, public_url) for row in rows]


async def unread_count(person_id: uuid.UUID) -> int:
    count: int = (
        await InAppNotification.count()
        .where((InAppNotification.person == person_id) & InAppNotification.read_at.is_null())
        .run()
    )
    return count


async def mark_read(person_id: uuid.UUID, ids: Sequence[uuid.UUID] | None = None) -> int:
    """Mark some (or, with `ids=None`, all) of the person's own items read; returns how many."""
    where = (InAppNotification.person == person_id) & InAppNotification.read_at.is_null()
    if ids is not None:
        if not ids:
            return 0
        where &= InAppNotification.id.is_in(list(ids))
    rows = await (
        InAppNotification.update({InAppNotification.read_at: utcnow()})
        .where(where)
        .returning(InAppNotification.id)
        .run()
    )
    return len(rows)


async def mark_unread(person_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> int:
    if not ids:
        return 0
    rows = await (
        InAppNotification.update({InAppNotification.read_at: None})
        .where((InAppNotification.person == person_id) & InAppNotification.id.is_in(list(ids)))
        .returning(InAppNotification.id)
        .run()
    )
    return len(rows)
