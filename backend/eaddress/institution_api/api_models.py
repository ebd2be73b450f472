"""Response shapes of the institution API (they also generate its OpenAPI schemas)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal, TypeVar

import msgspec

T = TypeVar("T")


class OAuthError(msgspec.Struct, omit_defaults=True):
    """RFC 6749 §5.2 error."""

    error: str
    error_description: str | None = None


class TokenResponse(msgspec.Struct):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str


class AttachmentOut(msgspec.Struct):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str


class MessageAccepted(msgspec.Struct):
    """A message accepted for delivery."""

    id: uuid.UUID
    thread_id: uuid.UUID
    sent_at: datetime
    deemed_delivered_on: date
    """Notification Law art. 9: the 2nd working day after sending (Latvian calendar)."""
    content_sha256: str
    attachments: list[AttachmentOut]


class ReceiptOut(msgspec.Struct, omit_defaults=True):
    kind: Literal["sent", "available", "notified", "opened"]
    at: datetime
    channel: str | None = None
    by_person_id: uuid.UUID | None = None
    as_delegate: bool | None = None


class NoticeOut(msgspec.Struct):
    channel: str
    at: datetime


class OpenedOut(msgspec.Struct):
    at: datetime
    by_person_id: uuid.UUID | None
    """The person who opened it first: the holder, a representative or a delegate."""
    as_delegate: bool


class MessageStatus(msgspec.Struct):
    id: uuid.UUID
    thread_id: uuid.UUID
    direction: Literal["sent", "reply"]
    status: Literal["sent", "available", "notified", "opened"]
    sent_at: datetime
    deemed_delivered_on: date | None
    deemed_delivered: bool
    available_at: datetime | None
    notified: list[NoticeOut]
    opened: OpenedOut | None
    receipts: list[ReceiptOut]


class ReplyOut(msgspec.Struct):
    id: uuid.UUID
    thread_id: uuid.UUID
    in_reply_to: uuid.UUID | None
    sender: str
    """The holder's address: `pc:<personal code>`, `eidas:<id>` or `company:<number>`."""
    subject: str
    body: str
    sent_at: datetime
    attachments: list[AttachmentOut]


class RepliesPage(msgspec.Struct):
    items: list[ReplyOut]
    next_cursor: str | None
    """Pass as `after` to get the following replies; keep the last one to poll for new ones."""


class ProofOut(msgspec.Struct):
    proof: str
    """Compact JWS (ES256) over the receipt chain; verify with the key set at `jwks_uri`."""
    jwks_uri: str


class PublicJwk(msgspec.Struct):
    """A public EC key (RFC 7517/7518) that verifies proof documents."""

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str
    y: str
    kid: str
    """RFC 7638 thumbprint; the `kid` in a proof's header names the key that signed it."""
    use: Literal["sig"]
    alg: Literal["ES256"]


class JsonWebKeySet(msgspec.Struct):
    """`application/jwk-set+json` (RFC 7517 §5)."""

    keys: list[PublicJwk]


def convert(data: dict[str, Any] | list[Any], model: type[T]) -> T:
    """Stored or computed JSON (ISO dates as strings) as the response model."""
    return msgspec.convert(data, model, strict=False)
