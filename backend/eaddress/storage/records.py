"""Typed views of stored messages, shared by the institution API and the mailbox functions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backend.eaddress.storage.content import safe_filename
from backend.eaddress.tables import Attachment, Message, MessageAttachment
from backend.lib.time import as_utc


@dataclass(frozen=True)
class AttachmentInfo:
    id: uuid.UUID
    filename: str
    """Always the cleaned name (`content.safe_filename`), also for rows stored before names
    were cleaned on upload: rows are immutable, so pages, downloads and proofs clean here."""
    content_type: str
    size: int
    sha256: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_filename(self.filename))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class MessageRecord:
    id: uuid.UUID
    thread_id: uuid.UUID
    in_reply_to: uuid.UUID | None
    account_id: uuid.UUID
    account_address: str
    account_subject_key: str
    institution_id: uuid.UUID
    institution_name: str
    institution_registration_number: str
    direction: str
    author_person_id: uuid.UUID | None
    author_as_delegate: bool
    subject: str
    body_text: str
    body_html: str | None
    content_sha256: str
    sent_at: datetime
    deemed_delivered_on: date | None
    attachments: tuple[AttachmentInfo, ...]


_COLUMNS = (
    Message.id,
    Message.thread_id,
    Message.in_reply_to,
    Message.account.id,
    Message.account.address,
    Message.account.subject_key,
    Message.institution.id,
    Message.institution.name,
    Message.institution.registration_number,
    Message.direction,
    Message.author_person_id,
    Message.author_as_delegate,
    Message.subject,
    Message.body_text,
    Message.body_html,
    Message.content_sha256,
    Message.sent_at,
    Message.deemed_delivered_on,
)


async def attachments_of(message_id: uuid.UUID) -> tuple[AttachmentInfo, ...]:
    rows = (
        await MessageAttachment.select(
            MessageAttachment.attachment.id,
            MessageAttachment.attachment.filename,
            MessageAttachment.attachment.content_type,
            MessageAttachment.attachment.size,
            MessageAttachment.attachment.sha256,
        )
        .where(MessageAttachment.message == message_id)
        .order_by(MessageAttachment.position)
        .output(nested=True)
        .run()
    )
    return tuple(
        AttachmentInfo(
            id=r["attachment"]["id"],
            filename=r["attachment"]["filename"],
            content_type=r["attachment"]["content_type"],
            size=r["attachment"]["size"],
            sha256=r["attachment"]["sha256"],
        )
        for r in rows
    )


async def attachments_of_many(
    message_ids: list[uuid.UUID],
) -> dict[uuid.UUID, list[AttachmentInfo]]:
    """Attachments of several messages in one query, in their order on each message."""
    found: dict[uuid.UUID, list[AttachmentInfo]] = {i: [] for i in message_ids}
    if not message_ids:
        return found
    rows = (
        await MessageAttachment.select(
            MessageAttachment.message,
            MessageAttachment.attachment.id,
            MessageAttachment.attachment.filename,
            MessageAttachment.attachment.content_type,
            MessageAttachment.attachment.size,
            MessageAttachment.attachment.sha256,
        )
        .where(MessageAttachment.message.is_in(message_ids))
        .order_by(MessageAttachment.message)
        .order_by(MessageAttachment.position)
        .output(nested=True)
        .run()
    )
    for r in rows:
        found[r["message"]].append(AttachmentInfo(**r["attachment"]))
    return found


async def load_message(message_id: uuid.UUID) -> MessageRecord | None:
    """The message with its parties and attachments (no authorization: callers check)."""
    row = (
        await Message.select(*_COLUMNS)
        .where(Message.id == message_id)
        .first()
        .output(nested=True)
        .run()
    )
    if row is None:
        return None
    return MessageRecord(
        id=row["id"],
        thread_id=row["thread_id"],
        in_reply_to=row["in_reply_to"],
        account_id=row["account"]["id"],
        account_address=row["account"]["address"],
        account_subject_key=row["account"]["subject_key"],
        institution_id=row["institution"]["id"],
        institution_name=row["institution"]["name"],
        institution_registration_number=row["institution"]["registration_number"],
        direction=row["direction"],
        author_person_id=row["author_person_id"],
        author_as_delegate=bool(row["author_as_delegate"]),
        subject=row["subject"],
        body_text=row["body_text"],
        body_html=row["body_html"],
        content_sha256=row["content_sha256"],
        sent_at=as_utc(row["sent_at"]),
        deemed_delivered_on=row["deemed_delivered_on"],
        attachments=await attachments_of(message_id),
    )


async def attachment_of_message(
    message_id: uuid.UUID, attachment_id: uuid.UUID
) -> AttachmentInfo | None:
    row = (
        await Attachment.select(
            Attachment.id,
            Attachment.filename,
            Attachment.content_type,
            Attachment.size,
            Attachment.sha256,
        )
        .where(
            (Attachment.id == attachment_id)
            & Attachment.id.is_in(
                MessageAttachment.select(MessageAttachment.attachment).where(
                    MessageAttachment.message == message_id
                )
            )
        )
        .first()
        .run()
    )
    return AttachmentInfo(**row) if row else None


async def message_with_attachment(subject_key: str, attachment_id: uuid.UUID) -> uuid.UUID | None:
    """A message of `subject_key`'s mailbox that carries the attachment, if any."""
    row = (
        await MessageAttachment.select(MessageAttachment.message)
        .where(
            (MessageAttachment.attachment == attachment_id)
            & (MessageAttachment.message._.account._.subject_key == subject_key)
        )
        .first()
        .run()
    )
    return uuid.UUID(str(row["message"])) if row else None


def new_attachment(
    *,
    attachment_id: uuid.UUID,
    owner_key: str,
    sha256: str,
    size: int,
    content_type: str,
    filename: str,
    created_at: datetime,
) -> Any:
    """The query that makes a committed blob an attachment of `owner_key`'s store. Other features
    (an application's files) keep their files in the e-address's attachment store through this,
    inside their own transaction, and link to the row by `attachment_id`."""
    return Attachment.insert(
        Attachment(
            id=attachment_id,
            owner_key=owner_key,
            sha256=sha256,
            size=size,
            content_type=content_type,
            filename=filename,
            created_at=created_at,
        )
    )
