"""Writing one message with everything that belongs to it, inside the caller's transaction:
the message row, attachment rows and their links, the first receipts and the outbox event.
Either all of it commits or none of it does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from backend.eaddress.content import content_sha256, search_document
from backend.eaddress.tables import Attachment, Message, MessageAttachment, Receipt
from backend.events.service import record_event


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

    @property
    def content_sha256(self) -> str:
        return content_sha256(
            self.subject, self.body_text, self.body_html, [a.sha256 for a in self.attachments]
        )


async def insert_message(draft: MessageDraft) -> None:
    """Write `draft`; must run inside `transaction(engine)`, which the outbox insist on."""
    await Message.insert(
        Message(
            id=draft.id,
            thread_id=draft.thread_id,
            in_reply_to=draft.in_reply_to,
            account=draft.account_id,
            institution=draft.institution_id,
            direction=draft.direction,
            author_person_id=draft.author_person_id,
            author_as_delegate=draft.author_as_delegate,
            subject=draft.subject,
            body_text=draft.body_text,
            body_html=draft.body_html,
            content_sha256=draft.content_sha256,
            sent_at=draft.sent_at,
            deemed_delivered_on=draft.deemed_delivered_on,
            attachment_count=len(draft.attachments),
            search_document=search_document(
                draft.subject, draft.body_text, [a.filename for a in draft.attachments]
            ),
        )
    ).run()
    new_files = [
        Attachment(
            id=a.id,
            owner_key=draft.owner_key,
            sha256=a.sha256,
            size=a.size,
            content_type=a.content_type,
            filename=a.filename,
            created_at=draft.sent_at,
        )
        for a in draft.attachments
        if a.existing_id is None
    ]
    if new_files:
        await Attachment.insert(*new_files).run()
    if draft.attachments:
        await MessageAttachment.insert(
            *(
                MessageAttachment(message=draft.id, attachment=a.row_id, position=i)
                for i, a in enumerate(draft.attachments)
            )
        ).run()
    await Receipt.insert(
        Receipt(message=draft.id, kind="sent", channel="", at=draft.sent_at),
        Receipt(message=draft.id, kind="available", channel="", at=draft.sent_at),
    ).run()
    if draft.direction == "in":
        await record_event(
            "eaddress.message_received",
            draft.account_subject_key,
            {
                "message_id": str(draft.id),
                "thread_id": str(draft.thread_id),
                "account_id": str(draft.account_id),
                "institution_id": str(draft.institution_id),
            },
            dedup_key=f"eaddress.message_received:{draft.id}",
        )
    else:
        await record_event(
            "eaddress.reply_sent",
            draft.account_subject_key,
            {
                "message_id": str(draft.id),
                "thread_id": str(draft.thread_id),
                "institution_id": str(draft.institution_id),
            },
            dedup_key=f"eaddress.reply_sent:{draft.id}",
        )
