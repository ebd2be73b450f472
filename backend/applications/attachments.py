"""Files added to an application, in the e-address attachment store.

The page route authorizes through GraphQL (`application(id)`: someone else's is not found)
before it calls these. Files are typed by their content, never by name (the e-address's rule
and its accepted types), and bounded by `EADDRESS_MAX_ATTACHMENT_BYTES`; an application holds
at most `MAX_FILES`. Only while the applicant is the one to act (draft, prepared, needs
information) may files be added.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar.datastructures import UploadFile

from backend.applications.machine import WAITING_FOR_PERSON, Status
from backend.applications.tables import ApplicationAttachment
from backend.eaddress.errors import AttachmentTooLarge, UnsupportedAttachmentType
from backend.eaddress.storage.blobs import BlobStore
from backend.eaddress.storage.content import ContentSniffer, safe_filename
from backend.eaddress.storage.records import AttachmentInfo, new_attachment
from backend.lib.db import transaction
from backend.lib.errors import BadInput, NotFound
from backend.lib.time import utcnow
from backend.settings import EAddressSettings

MAX_FILES = 10
CHUNK = 64 * 1024


@dataclass(frozen=True)
class AddedFile:
    id: uuid.UUID
    filename: str
    content_type: str
    size: int


async def files_of(application_id: uuid.UUID) -> list[AddedFile]:
    rows = await (
        ApplicationAttachment.select(
            ApplicationAttachment.id,
            ApplicationAttachment.attachment.filename,
            ApplicationAttachment.attachment.content_type,
            ApplicationAttachment.attachment.size,
        )
        .where(ApplicationAttachment.application == application_id)
        .order_by(ApplicationAttachment.added_at)
        .run()
    )
    return [
        AddedFile(
            r["id"],
            safe_filename(r["attachment.filename"]),
            r["attachment.content_type"],
            r["attachment.size"],
        )
        for r in rows
    ]


async def add_file(  # noqa: PLR0917 - the route hands over what it checked
    application_id: uuid.UUID,
    status: Status,
    subject_key: str,
    person_id: uuid.UUID,
    upload: UploadFile,
    blobs: BlobStore,
    settings: EAddressSettings,
) -> AddedFile:
    """Store `upload` and link it to the application."""
    if status not in WAITING_FOR_PERSON:
        raise BadInput(
            "Files can be added only while the application waits for you.", code="closed"
        )
    if len(await files_of(application_id)) >= MAX_FILES:
        raise BadInput(f"An application holds at most {MAX_FILES} files.", code="too_many_files")
    writer, sniffer, size = blobs.writer(), ContentSniffer(), 0
    try:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > settings.max_attachment_bytes:
                raise AttachmentTooLarge(settings.max_attachment_bytes)
            sniffer.feed(chunk)
            await writer.write(chunk)
        media_type = sniffer.media_type()
        if size == 0:
            raise BadInput("Choose a file to add.", code="empty_file")
        if media_type is None or media_type not in settings.allowed_types:
            raise UnsupportedAttachmentType(settings.allowed_types)
    except BaseException:
        await writer.abort()
        raise
    stored = await writer.commit()
    attachment_id, link_id = uuid.uuid4(), uuid.uuid4()
    filename = safe_filename(upload.filename)
    async with transaction(ApplicationAttachment._meta.db):
        await new_attachment(
            attachment_id=attachment_id,
            owner_key=subject_key,
            sha256=stored.sha256,
            size=stored.size,
            content_type=media_type,
            filename=filename,
            created_at=utcnow(),
        ).run()
        await ApplicationAttachment.insert(
            ApplicationAttachment(
                id=link_id,
                application=application_id,
                attachment=attachment_id,
                added_by=person_id,
                added_at=utcnow(),
            )
        ).run()
    return AddedFile(link_id, filename, media_type, stored.size)


async def file_info(application_id: uuid.UUID, file_id: uuid.UUID) -> AttachmentInfo:
    row = await (
        ApplicationAttachment.select(
            ApplicationAttachment.attachment.id,
            ApplicationAttachment.attachment.filename,
            ApplicationAttachment.attachment.content_type,
            ApplicationAttachment.attachment.size,
            ApplicationAttachment.attachment.sha256,
        )
        .where(
            (ApplicationAttachment.id == file_id)
            & (ApplicationAttachment.application == application_id)
        )
        .first()
        .run()
    )
    if row is None:
        raise NotFound("No such file.")
    return AttachmentInfo(
        row["attachment.id"],
        row["attachment.filename"],
        row["attachment.content_type"],
        row["attachment.size"],
        row["attachment.sha256"],
    )
