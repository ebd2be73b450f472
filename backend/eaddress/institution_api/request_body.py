"""Turning a Litestar request into a `ParsedRequest` (JSON or multipart) or one upload."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions.http_exceptions import RequestEntityTooLarge

from backend.eaddress.errors import MessageTooLarge
from backend.eaddress.institution_api.intake import (
    MAX_JSON_PART_BYTES,
    ParsedRequest,
    StagedFile,
    decode_message,
    parse_multipart,
)
from backend.eaddress.storage.blobs import BlobStore
from backend.lib.errors import AppError, BadInput
from backend.settings import EAddressSettings


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"


def _boundary(request: Request[Any, Any, Any]) -> str | None:
    media_type, params = request.content_type
    if media_type != "multipart/form-data":
        return None
    boundary = params.get("boundary")
    if not boundary:
        raise BadInput("The multipart body has no boundary.", code="invalid_multipart")
    return boundary


async def _json_body(request: Request[Any, Any, Any]) -> bytes:
    body = bytearray()
    try:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_JSON_PART_BYTES:
                raise MessageTooLarge(MAX_JSON_PART_BYTES)
    except RequestEntityTooLarge:
        raise MessageTooLarge(MAX_JSON_PART_BYTES) from None
    return bytes(body)


async def read_message_request(
    request: Request[Any, Any, Any], blobs: BlobStore, settings: EAddressSettings
) -> ParsedRequest:
    """The message and its uploaded files (already in the blob store, not yet referenced)."""
    if request.content_type[0] == "application/json":
        return ParsedRequest(message=decode_message(await _json_body(request)))
    boundary = _boundary(request)
    if boundary is None:
        raise UnsupportedMediaType("Send application/json or multipart/form-data.")
    raw, files = await parse_multipart(request.stream(), boundary, blobs, settings)
    if raw is None:
        raise BadInput("The multipart body needs a `message` part.", code="invalid_multipart")
    return ParsedRequest(message=decode_message(raw), files=files)


async def read_single_upload(
    request: Request[Any, Any, Any], blobs: BlobStore, settings: EAddressSettings
) -> StagedFile:
    boundary = _boundary(request)
    if boundary is None:
        raise UnsupportedMediaType("Send multipart/form-data with one `attachment` part.")
    _, files = await parse_multipart(request.stream(), boundary, blobs, settings, json_part=None)
    if len(files) != 1:
        raise BadInput("Send exactly one `attachment` part.", code="invalid_multipart")
    return files[0]
