"""The receipt chain of a message: sent → available → notified (per channel) → opened.

Receipts are append-only rows, unique per (message, kind, channel), so recording one twice
(a retried notice, two tabs opening the same message) keeps the first. The notification
centre appends `notified` receipts with `record_notified`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.eaddress.tables import Message, Receipt
from backend.lib.time import as_utc, utcnow

KINDS = ("sent", "available", "notified", "opened")
CHANNELS = ("email", "sms", "webpush", "inapp")
_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class ReceiptEntry:
    kind: str
    at: datetime
    channel: str | None = None
    actor_person_id: uuid.UUID | None = None
    as_delegate: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "at": self.at.isoformat()}
        if self.channel:
            data["channel"] = self.channel
        if self.kind == "opened":
            data["by_person_id"] = str(self.actor_person_id) if self.actor_person_id else None
            data["as_delegate"] = self.as_delegate
        return data


@dataclass(frozen=True)
class ReceiptChain:
    message_id: uuid.UUID
    entries: list[ReceiptEntry]

    def first(self, kind: str) -> ReceiptEntry | None:
        return next((e for e in self.entries if e.kind == kind), None)

    @property
    def notified(self) -> list[ReceiptEntry]:
        return [e for e in self.entries if e.kind == "notified"]

    @property
    def status(self) -> str:
        """The furthest link reached: sent, available, notified or opened."""
        return self.entries[-1].kind if self.entries else "sent"

    def as_json(self) -> list[dict[str, Any]]:
        return [entry.as_json() for entry in self.entries]


async def receipt_chain(message_id: uuid.UUID) -> ReceiptChain:
    rows = await Receipt.select().where(Receipt.message == message_id).run()
    entries = [
        ReceiptEntry(
            kind=row["kind"],
            at=as_utc(row["at"]),
            channel=row["channel"] or None,
            actor_person_id=row["actor_person_id"],
            as_delegate=bool(row["as_delegate"]),
        )
        for row in rows
    ]
    entries.sort(key=lambda e: (_ORDER.get(e.kind, 99), e.at, e.channel or ""))
    return ReceiptChain(message_id=message_id, entries=entries)


async def _append(row: Receipt) -> bool:
    inserted = (
        await Receipt.insert(row)
        .on_conflict(target=(Receipt.message, Receipt.kind, Receipt.channel), action="DO NOTHING")
        .returning(Receipt.id)
        .run()
    )
    return bool(inserted)


async def record_opened(
    message_id: uuid.UUID, person_id: uuid.UUID, *, as_delegate: bool, at: datetime | None = None
) -> bool:
    """Record the first opening; True if this was it, False if it had been opened before."""
    return await _append(
        Receipt(
            message=message_id,
            kind="opened",
            channel="",
            at=at or utcnow(),
            actor_person_id=person_id,
            as_delegate=as_delegate,
        )
    )


async def record_notified_many(notified: Sequence[tuple[uuid.UUID, str]], *, at: datetime) -> None:
    """Record "notified (channel)" for each (message, channel) of a delivery batch. A message
    deleted since its notice was queued is skipped: it must not break the sender's batch."""
    if not notified:
        return
    ids = list({message_id for message_id, _ in notified})
    known = {
        uuid.UUID(str(r["id"]))
        for r in await Message.select(Message.id).where(Message.id.is_in(ids)).run()
    }
    for message_id, channel in notified:
        if message_id in known:
            await record_notified(message_id, channel, at=at)


async def record_notified(
    message_id: uuid.UUID,
    channel: str,
    *,
    at: datetime | None = None,
    detail: dict[str, str] | None = None,
) -> bool:
    """Record that a notice of the message went out on `channel` (first one per channel)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return await _append(
        Receipt(
            message=message_id,
            kind="notified",
            channel=channel,
            at=at or utcnow(),
            detail=detail or {},
        )
    )
