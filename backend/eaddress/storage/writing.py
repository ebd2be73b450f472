"""Writing one message with everything that belongs to it: the message row, attachment rows
and their links, the first receipts and the outbox event (the transactional outbox). Either
all of it commits or none of it does; on PostgreSQL it is one statement, one round trip."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from backend.eaddress.notices import MESSAGE_RECEIVED
from backend.eaddress.storage.content import content_sha256, search_document
from backend.eaddress.tables import Message
from backend.events.service import event_statement
from backend.lib.statements import Statement, insert, run_atomically


@dataclass(frozen=True)
class AttachmentDraft:
    """An attachment of a message: an earlier upload (`existing_id`) or a staged new file."""

    filename: str
    content_type: str
    sha256: str
    size: int
    existing_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def row_id(self) -> uuid.UUID:
        return self.existing_id or self.id

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.row_id),
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class MessageDraft:
    id: uuid.UUID
    thread_id: uuid.UUID
    in_reply_to: uuid.UUID | None
    account_id: uuid.UUID
    account_subject_key: str
    institution_id: uuid.UUID
    direction: str
    subject: str
    body_text: str
    body_html: str | None
    sent_at: datetime
    deemed_delivered_on: date | None
    owner_key: str
    """Who uploads the new attachments (`institution:<uuid>` or the holder's subject key)."""
    attachments: list[AttachmentDraft] = field(default_factory=list)
    author_person_id: uuid.UUID | None = None
    author_as_delegate: bool = False

    @cached_property
    def content_sha256(self) -> str:
        return content_sha256(
            self.subject, self.body_text, self.body_html, [a.sha256 for a in self.attachments]
        )


MESSAGE_COLUMNS = (
    "id", "thread_id", "in_reply_to", "account", "institution", "direction",
    "author_person_id", "author_as_delegate", "subject", "body_text", "body_html",
    "content_sha256", "sent_at", "deemed_delivered_on", "attachment_count", "search_document",
)  # fmt: skip
ATTACHMENT_COLUMNS = ("id", "owner_key", "sha256", "size", "content_type", "filename", "created_at")
RECEIPT_COLUMNS = (
    "id", "message", "kind", "channel", "at", "actor_person_id", "as_delegate", "detail",
)  # fmt: skip


def message_statements(draft: MessageDraft) -> list[Statement]:
    """Every row one message needs: the message, new attachment rows and the links, the
    `sent` and `available` receipts and the outbox event."""
    statements = [
        insert(
            "eaddress_message",
            MESSAGE_COLUMNS,
            [
                (
                    draft.id, draft.thread_id, draft.in_reply_to, draft.account_id,
                    draft.institution_id, draft.direction, draft.author_person_id,
                    draft.author_as_delegate, draft.subject, draft.body_text, draft.body_html,
                    draft.content_sha256, draft.sent_at, draft.deemed_delivered_on,
                    len(draft.attachments),
                    search_document(
                        draft.subject, draft.body_text, [a.filename for a in draft.attachments]
                    ),
                )
            ],
        )
    ]  # fmt: skip
    new_files = [
        (a.id, draft.owner_key, a.sha256, a.size, a.content_type, a.filename, draft.sent_at)
        for a in draft.attachments
        if a.existing_id is None
    ]
    if new_files:
        statements.append(insert("eaddress_attachment", ATTACHMENT_COLUMNS, new_files))
    if draft.attachments:
        links = [(uuid.uuid4(), draft.id, a.row_id, i) for i, a in enumerate(draft.attachments)]
        statements.append(
            insert(
                "eaddress_message_attachment", ("id", "message", "attachment", "position"), links
            )
        )
    statements.append(
        insert(
            "eaddress_receipt",
            RECEIPT_COLUMNS,
            [
                (uuid.uuid4(), draft.id, kind, "", draft.sent_at, None, False, "{}")
                for kind in ("sent", "available")
            ],
        )
    )
    statements.append(_event(draft))
    return statements


def _event(draft: MessageDraft) -> Statement:
    ids = {"message_id": str(draft.id), "thread_id": str(draft.thread_id)}
    if draft.direction == "in":
        kind = MESSAGE_RECEIVED
        ids |= {"account_id": str(draft.account_id), "institution_id": str(draft.institution_id)}
    else:
        kind = "eaddress.reply_sent"
        ids |= {"institution_id": str(draft.institution_id)}
    return event_statement(
        kind,
        draft.account_subject_key,
        ids,
        dedup_key=f"{kind}:{draft.id}",
        created_at=draft.sent_at,
    )


async def write_message(draft: MessageDraft, *, together_with: Sequence[Statement] = ()) -> None:
    """Write `draft` (and `together_with`, written first) atomically: all rows or none."""
    await run_atomically(Message, [*together_with, *message_statements(draft)])
