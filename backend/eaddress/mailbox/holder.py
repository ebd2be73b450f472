"""What a holder (or someone acting for one) does with a message: open it, reply, archive,
download an attachment, see and export the receipt chain; and turn a person's e-address on
and off. Every function checks `MailboxAccess` first; a message of another mailbox answers as
if it did not exist."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from joserfc.jwk import Key

from backend.eaddress.errors import AttachmentNotFound, MessageNotFound, TooManyAttachments
from backend.eaddress.institution_api.intake import StagedFile
from backend.eaddress.institution_api.sending import MAX_SUBJECT_CHARS, clean_text
from backend.eaddress.mailbox import accounts
from backend.eaddress.mailbox.access import MailboxAccess, MailboxAction, Reader, require
from backend.eaddress.mailbox.accounts import AccountInfo
from backend.eaddress.storage.blobs import BlobStore
from backend.eaddress.storage.downloads import Download, stream_attachment
from backend.eaddress.storage.proof import proof_payload, sign_proof
from backend.eaddress.storage.receipts import ReceiptChain, receipt_chain, record_opened
from backend.eaddress.storage.records import (
    MessageRecord,
    attachment_of_message,
    load_message,
    message_with_attachment,
)
from backend.eaddress.storage.writing import AttachmentDraft, MessageDraft, write_message
from backend.eaddress.tables import ArchivedMessage, Receipt
from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.settings import EAddressSettings


@dataclass(frozen=True)
class OpenedMessage:
    message: MessageRecord
    receipts: ReceiptChain
    first_opening: bool
    """True when this call recorded the first opening (the caller logs the data access)."""
    as_delegate: bool


async def _in_mailbox(reader: Reader, message_id: uuid.UUID) -> MessageRecord:
    record = await load_message(message_id)
    if record is None or record.account_subject_key != reader.subject_key:
        raise MessageNotFound()
    return record


OpeningHook = Callable[[MessageRecord, bool], Awaitable[None]]
"""Called with (message, as_delegate) inside the transaction that records the first opening."""


async def open_message(
    reader: Reader,
    access: MailboxAccess,
    message_id: uuid.UUID,
    *,
    on_first_opening: OpeningHook | None = None,
) -> OpenedMessage:
    """The message; its first opening by anyone entitled is recorded as a receipt, and
    `on_first_opening` (the caller's logs) runs in the same transaction."""
    grant = await require(access, reader, MailboxAction.VIEW)
    record = await _in_mailbox(reader, message_id)
    first = False
    if record.direction == "in":
        # Only the writes are in the transaction: authorising may ask a registry, and a
        # SQLite write lock must not wait on the network.
        async with transaction(Receipt._meta.db):
            first = await record_opened(record.id, reader.person_id, as_delegate=grant.as_delegate)
            if first and on_first_opening is not None:
                await on_first_opening(record, grant.as_delegate)
    return OpenedMessage(record, await receipt_chain(record.id), first, grant.as_delegate)


async def view_message(
    reader: Reader, access: MailboxAccess, message_id: uuid.UUID
) -> tuple[MessageRecord, ReceiptChain]:
    """The message and its receipts without recording an opening (a look, not a reading)."""
    await require(access, reader, MailboxAction.VIEW)
    record = await _in_mailbox(reader, message_id)
    return record, await receipt_chain(record.id)


async def is_archived(message_id: uuid.UUID) -> bool:
    return bool(await ArchivedMessage.exists().where(ArchivedMessage.message == message_id).run())


async def download_by_attachment(
    reader: Reader, access: MailboxAccess, attachment_id: uuid.UUID, blobs: BlobStore
) -> Download:
    """An attachment found by its id alone, if a message of the reader's mailbox carries it
    (an uploaded file may be linked to several messages, of different mailboxes)."""
    await require(access, reader, MailboxAction.VIEW)
    message_id = await message_with_attachment(reader.subject_key, attachment_id)
    if message_id is None:
        raise AttachmentNotFound()
    return await download(reader, access, message_id, attachment_id, blobs)


async def receipts(reader: Reader, access: MailboxAccess, message_id: uuid.UUID) -> ReceiptChain:
    await require(access, reader, MailboxAction.VIEW)
    return await receipt_chain((await _in_mailbox(reader, message_id)).id)


async def export_proof(
    reader: Reader, access: MailboxAccess, message_id: uuid.UUID, *, key: Key, issuer: str
) -> str:
    """The receipt chain as a compact JWS anyone can verify with the published key set."""
    await require(access, reader, MailboxAction.VIEW)
    record = await _in_mailbox(reader, message_id)
    return sign_proof(proof_payload(record, await receipt_chain(record.id), issuer=issuer), key)


async def download(
    reader: Reader,
    access: MailboxAccess,
    message_id: uuid.UUID,
    attachment_id: uuid.UUID,
    blobs: BlobStore,
) -> Download:
    """A streamed attachment, only after authorization (type, size and name from the row)."""
    await require(access, reader, MailboxAction.VIEW)
    await _in_mailbox(reader, message_id)
    info = await attachment_of_message(message_id, attachment_id)
    if info is None:
        raise AttachmentNotFound()
    return stream_attachment(info, blobs)


async def reply(
    reader: Reader,
    access: MailboxAccess,
    message_id: uuid.UUID,
    body: str,
    settings: EAddressSettings,
    *,
    subject: str | None = None,
    files: Sequence[StagedFile] = (),
) -> uuid.UUID:
    """Answer the institution in the message's thread; returns the reply's id.

    `files` are already in the blob store (typed and size-checked by `intake`)."""
    grant = await require(access, reader, MailboxAction.SEND)
    record = await _in_mailbox(reader, message_id)
    if subject is None:
        prefix = "" if record.subject.startswith("Re: ") else "Re: "
        subject = (prefix + record.subject)[:MAX_SUBJECT_CHARS]
    subject, body, _ = clean_text(subject, body, None, settings)
    if len(files) > settings.max_attachments:
        raise TooManyAttachments(settings.max_attachments)
    reply_id = uuid.uuid4()
    draft = MessageDraft(
        id=reply_id,
        thread_id=record.thread_id,
        in_reply_to=record.id,
        account_id=record.account_id,
        account_subject_key=record.account_subject_key,
        institution_id=record.institution_id,
        direction="out",
        subject=subject,
        body_text=body,
        body_html=None,
        sent_at=utcnow(),
        deemed_delivered_on=None,
        owner_key=reader.subject_key,
        attachments=[AttachmentDraft(f.filename, f.content_type, f.sha256, f.size) for f in files],
        author_person_id=reader.person_id,
        author_as_delegate=grant.as_delegate,
    )
    await write_message(draft)
    return reply_id


async def set_archived(
    reader: Reader, access: MailboxAccess, message_id: uuid.UUID, archived: bool
) -> None:
    """Move a message to the archive folder or back (idempotent; the message is untouched)."""
    await require(access, reader, MailboxAction.SEND)
    record = await _in_mailbox(reader, message_id)
    if archived:
        await (
            ArchivedMessage.insert(
                ArchivedMessage(
                    account=record.account_id,
                    message=record.id,
                    archived_at=utcnow(),
                    archived_by_person_id=reader.person_id,
                )
            )
            .on_conflict(target=ArchivedMessage.message, action="DO NOTHING")
            .run()
        )
    else:
        await ArchivedMessage.delete().where(ArchivedMessage.message == record.id).run()


async def eaddress_status(reader: Reader, access: MailboxAccess) -> AccountInfo | None:
    """The reader's e-address (active or deactivated), or None if it was never activated."""
    await require(access, reader, MailboxAction.VIEW)
    return await accounts.account_by_subject(reader.subject_key)


async def activate(reader: Reader, access: MailboxAccess) -> AccountInfo:
    """Activate the reader's own personal e-address (companies' are always active)."""
    await require(access, reader, MailboxAction.MANAGE)
    return await accounts.activate_person(reader.person_id)


async def deactivate(reader: Reader, access: MailboxAccess) -> AccountInfo:
    await require(access, reader, MailboxAction.MANAGE)
    return await accounts.deactivate_person(reader.person_id)
