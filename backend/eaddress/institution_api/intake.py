"""Reading an institution's request: JSON, or multipart with the JSON in a `message` part and
files in `attachment` parts, streamed into the blob store while they arrive.

Nothing here trusts the client: text must be valid UTF-8, files are typed by their content,
sizes and counts are checked while reading (so an oversized upload stops early), and every
failure is an `AppError` with its own code.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, get_args, get_type_hints

import msgspec
from multipart import MultipartError, MultipartSegment, PushMultipartParser

from backend.eaddress.errors import (
    AttachmentTooLarge,
    MessageTooLarge,
    TooManyAttachments,
    UnsupportedAttachmentType,
)
from backend.eaddress.storage.blobs import BlobStore, BlobWriter
from backend.eaddress.storage.content import ContentSniffer, safe_filename
from backend.lib.errors import BadInput, Unprocessable
from backend.lib.jsonbody import ensure_shallow
from backend.lib.validation import explain
from backend.settings import EAddressSettings

MAX_JSON_PART_BYTES = 2 * 1024 * 1024


class RecipientIn(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["personal_code", "eidas_id", "company"]
    id: str


class MessageIn(msgspec.Struct, forbid_unknown_fields=True):
    recipient: RecipientIn
    subject: str
    body: str
    body_html: str | None = None
    attachment_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    thread_id: uuid.UUID | None = None


@dataclass(frozen=True)
class StagedFile:
    """An uploaded file already in the blob store (not yet referenced by any row)."""

    filename: str
    content_type: str
    sha256: str
    size: int


@dataclass
class ParsedRequest:
    message: MessageIn
    files: list[StagedFile] = field(default_factory=list)

    def fingerprint(self) -> str:
        """SHA-256 of the request's meaning (not its bytes: multipart boundaries differ)."""
        digest = hashlib.sha256(msgspec.json.encode(self.message, order="sorted"))
        for staged in self.files:
            digest.update(f"\n{staged.filename}\n{staged.sha256}".encode())
        return digest.hexdigest()


def decode_utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("The request is not valid UTF-8.", code="invalid_utf8") from None


# Enumerated fields, so that an invalid value is answered with the ones allowed.
MESSAGE_CHOICES = {"recipient.type": get_args(get_type_hints(RecipientIn)["type"])}


def decode_message(raw: bytes) -> MessageIn:
    text = decode_utf8(raw)
    ensure_shallow(raw)  # JSONTooDeep (400 `json_too_deep`) before msgspec recurses
    try:
        return msgspec.json.decode(text, type=MessageIn)
    except msgspec.ValidationError as exc:
        sentence = explain(str(exc), whole="The message", choices=MESSAGE_CHOICES)
        raise Unprocessable(
            f"The message is not valid: {sentence}", code="invalid_message"
        ) from None
    except msgspec.DecodeError:
        raise BadInput("The message is not valid JSON.", code="invalid_json") from None


class _MultipartReader:
    """Events of the push parser → one JSON part (kept in memory) and files (to the store)."""

    def __init__(
        self, store: BlobStore, settings: EAddressSettings, json_part: str | None, file_part: str
    ) -> None:
        self.store, self.settings = store, settings
        self.json_part, self.file_part = json_part, file_part
        self.expected = (
            f"send the message as JSON in one `{json_part}` part and each file in an "
            f"`{file_part}` part (with a file name)"
            if json_part
            else f"send the file in one `{file_part}` part (with a file name)"
        )
        self.json_bytes: bytearray | None = None
        self.files: list[StagedFile] = []
        self.current: _FilePart | None = None
        self.in_json = False
        self.total = 0

    def on_segment(self, segment: MultipartSegment) -> None:
        self.in_json = False
        if segment.name == self.file_part:
            if segment.filename is None:
                raise BadInput(
                    f"An `{self.file_part}` part must be a file: give it a file name.",
                    code="invalid_multipart",
                )
            if len(self.files) >= self.settings.max_attachments:
                raise TooManyAttachments(self.settings.max_attachments)
            self.current = _FilePart(self.store.writer(), safe_filename(segment.filename))
        elif self.json_part is not None and (segment.name, segment.filename) == (
            self.json_part,
            None,
        ):
            if self.json_bytes is not None:
                raise BadInput("Send only one message part.", code="invalid_multipart")
            self.json_bytes, self.in_json = bytearray(), True
        else:
            raise BadInput(f"Unexpected part: {self.expected}.", code="invalid_multipart")

    async def on_data(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.settings.max_message_bytes:
            raise MessageTooLarge(self.settings.max_message_bytes)
        if self.current is not None:
            if self.current.writer.size + len(chunk) > self.settings.max_attachment_bytes:
                raise AttachmentTooLarge(self.settings.max_attachment_bytes)
            self.current.sniffer.feed(chunk)
            await self.current.writer.write(chunk)
        elif self.in_json and self.json_bytes is not None:
            self.json_bytes.extend(chunk)
            if len(self.json_bytes) > MAX_JSON_PART_BYTES:
                raise MessageTooLarge(MAX_JSON_PART_BYTES)

    async def on_end(self) -> None:
        if self.current is not None:
            part, self.current = self.current, None
            self.files.append(await _finish_file(part, self.settings))
        self.in_json = False

    async def abort(self) -> None:
        if self.current is not None:
            await self.current.writer.abort()
            self.current = None


class _FilePart:
    def __init__(self, writer: BlobWriter, filename: str) -> None:
        self.writer, self.filename, self.sniffer = writer, filename, ContentSniffer()


async def parse_multipart(
    stream: AsyncIterator[bytes],
    boundary: str,
    store: BlobStore,
    settings: EAddressSettings,
    *,
    json_part: str | None = "message",
    file_part: str = "attachment",
) -> tuple[bytes | None, list[StagedFile]]:
    """The raw `json_part` (if any) and the staged files of a multipart/form-data body;
    `json_part=None` when the body holds files only."""
    reader = _MultipartReader(store, settings, json_part, file_part)
    try:
        with PushMultipartParser(boundary, max_segment_count=settings.max_attachments + 4) as mp:
            async for chunk in _with_eof(stream):
                for event in mp.parse(chunk):
                    if isinstance(event, MultipartSegment):
                        reader.on_segment(event)
                    elif event:
                        await reader.on_data(event)
                    else:
                        await reader.on_end()
    except MultipartError:
        raise BadInput("The multipart body is malformed.", code="invalid_multipart") from None
    finally:
        await reader.abort()
    raw = bytes(reader.json_bytes) if reader.json_bytes is not None else None
    return raw, reader.files


async def _with_eof(stream: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in stream:
        if chunk:
            yield chunk
    yield b""  # tells the push parser the input is complete


async def _finish_file(part: _FilePart, settings: EAddressSettings) -> StagedFile:
    media_type = part.sniffer.media_type()
    if media_type is None or media_type not in settings.allowed_types:
        await part.writer.abort()
        raise UnsupportedAttachmentType(settings.allowed_types)
    stored = await part.writer.commit()
    return StagedFile(part.filename, media_type, stored.sha256, stored.size)
