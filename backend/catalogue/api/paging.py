"""Cursor pagination over a list ordered by id, and strong ETags with `If-None-Match`."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec

from backend.lib.errors import BadInput

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
T = TypeVar("T")


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise BadInput(
            "The cursor is not one this API gave out; pass `next_cursor` as it came.",
            code="invalid_cursor",
        ) from None


def page(
    items: Sequence[T], key: Any, cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The `limit` items after the cursor (items sorted by `key`), and the next cursor."""
    ordered = sorted(items, key=key)
    if cursor:
        after = decode_cursor(cursor)
        ordered = [item for item in ordered if key(item) > after]
    chosen = ordered[:limit]
    more = len(ordered) > limit
    return chosen, (encode_cursor(key(chosen[-1])) if more and chosen else None)


def etag_of(body: Any) -> str:
    """A strong validator: the SHA-256 of the body's JSON, which is deterministic for equal
    content (struct fields in declaration order, lists in the order given)."""
    return '"' + hashlib.sha256(msgspec.json.encode(body)).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """True when the client's `If-None-Match` names this representation (RFC 9110 §13.1.2,
    weak comparison: a `W/` prefix is ignored)."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        if tag.removeprefix("W/") == etag:
            return True
    return False
