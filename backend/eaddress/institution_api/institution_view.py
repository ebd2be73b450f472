"""What a sending institution may see: its messages' status, replies to it, their files.

Another institution's message id answers exactly like an id that does not exist (404), so
ids reveal nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from joserfc.jwk import Key

from backend.eaddress.errors import AttachmentNotFound, MessageNotFound
from backend.eaddress.paging import Cursor, Page, page_size, parse_cursor
from backend.eaddress.storage.blobs import BlobStore
from backend.eaddress.storage.downloads import Download, stream_attachment
from backend.eaddress.storage.proof import proof_payload, sign_proof
from backend.eaddress.storage.receipts import receipt_chain
from backend.eaddress.storage.records import (
    AttachmentInfo,
    MessageRecord,
    attachment_of_message,
    attachments_of_many,
    load_message,
)
from backend.eaddress.tables import Message
from backend.lib.time import as_utc, riga_today


async def _own_message(institution_id: uuid.UUID, message_id: uuid.UUID) -> MessageRecord:
    record = await load_message(message_id)
    if record is None or record.institution_id != institution_id:
        raise MessageNotFound()
    return record


def _deemed(on: date | None) -> dict[str, Any]:
    return {
        "deemed_delivered_on": on.isoformat() if on else None,
        "deemed_delivered": bool(on and riga_today() >= on),
    }


async def message_status(institution_id: uuid.UUID, message_id: uuid.UUID) -> dict[str, Any]:
    """Status of a message this institution sent (or a reply it received)."""
    record = await _own_message(institution_id, message_id)
    chain = await receipt_chain(record.id)
    opened = chain.first("opened")
    return {
        "id": str(record.id),
        "thread_id": str(record.thread_id),
        "direction": "sent" if record.direction == "in" else "reply",
        "status": chain.status,
        "sent_at": record.sent_at.isoformat(),
        **_deemed(record.deemed_delivered_on),
        "available_at": (a.at.isoformat() if (a := chain.first("available")) else None),
        "notified": [
            {"channel": n.channel, "at": n.at.isoformat()} for n in chain.notified if n.channel
        ],
        "opened": (
            {
                "at": opened.at.isoformat(),
                "by_person_id": str(opened.actor_person_id) if opened.actor_person_id else None,
                "as_delegate": opened.as_delegate,
            }
            if opened
            else None
        ),
        "receipts": chain.as_json(),
    }


@dataclass(frozen=True)
class ReplyItem:
    id: uuid.UUID
    thread_id: uuid.UUID
    in_reply_to: uuid.UUID | None
    sender_address: str
    subject: str
    body: str
    sent_at_iso: str
    attachments: list[AttachmentInfo]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "thread_id": str(self.thread_id),
            "in_reply_to": str(self.in_reply_to) if self.in_reply_to else None,
            "sender": self.sender_address,
            "subject": self.subject,
            "body": self.body,
            "sent_at": self.sent_at_iso,
            "attachments": [a.as_json() for a in self.attachments],
        }


async def list_replies(
    institution_id: uuid.UUID, *, after: str | None = None, limit: int | None = None
) -> Page[ReplyItem]:
    """Replies from holders to this institution, oldest first; keep `next_cursor` to poll."""
    size, cursor = page_size(limit), parse_cursor(after)
    where = "m.institution = {} AND m.direction = 'out'"
    args: list[Any] = [institution_id]
    if cursor:
        where += " AND (m.sent_at, m.id) > ({}, {})"
        args += [cursor.sent_at, cursor.id]
    # Only constant fragments and placeholders are joined here; values are bound parameters.
    rows = await Message.raw(
        "SELECT m.id, m.thread_id, m.in_reply_to, m.subject, m.body_text, m.sent_at, "  # noqa: S608
        "a.address FROM eaddress_message m "
        f"JOIN eaddress_account a ON a.id = m.account WHERE {where} "
        "ORDER BY m.sent_at, m.id LIMIT {}",
        *args,
        size + 1,
    ).run()
    page_rows = rows[:size]
    files = await attachments_of_many([_uuid(r["id"]) for r in page_rows])
    items = [
        ReplyItem(
            id=_uuid(r["id"]),
            thread_id=_uuid(r["thread_id"]),
            in_reply_to=_uuid(r["in_reply_to"]) if r["in_reply_to"] else None,
            sender_address=r["address"],
            subject=r["subject"],
            body=r["body_text"],
            sent_at_iso=as_utc(r["sent_at"]).isoformat(),
            attachments=files[_uuid(r["id"])],
        )
        for r in page_rows
    ]
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = Cursor(as_utc(last["sent_at"]), _uuid(last["id"])).encode()
    return Page(items=items, next_cursor=next_cursor)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def download_for_institution(
    institution_id: uuid.UUID, message_id: uuid.UUID, attachment_id: uuid.UUID, blobs: BlobStore
) -> Download:
    await _own_message(institution_id, message_id)
    info = await attachment_of_message(message_id, attachment_id)
    if info is None:
        raise AttachmentNotFound()
    return stream_attachment(info, blobs)


async def proof_for_institution(
    institution_id: uuid.UUID, message_id: uuid.UUID, *, key: Key, issuer: str
) -> str:
    record = await _own_message(institution_id, message_id)
    return sign_proof(proof_payload(record, await receipt_chain(record.id), issuer=issuer), key)
