"""Keyset pagination over (sent_at, id): opaque cursors, stable under concurrent inserts.

A page fetch is one index range scan, however deep the page: `(sent_at, id) < (:t, :id)` with
an index on (owner, direction, sent_at, id). Row-value comparison works on PostgreSQL and
SQLite alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from backend.lib.errors import BadInput
from backend.lib.keyset import decode_cursor, encode_cursor

MAX_PAGE = 100
DEFAULT_PAGE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Cursor:
    sent_at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        return encode_cursor(self.sent_at, self.id)

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            return cls(*decode_cursor(value))
        except ValueError:
            raise BadInput("The cursor is not valid.", code="invalid_cursor") from None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    """Pass as `after` for the next page; None on the last page."""


def page_size(limit: int | None, default: int = DEFAULT_PAGE) -> int:
    if limit is None:
        return default
    if not 1 <= limit <= MAX_PAGE:
        raise BadInput(f"The limit must be between 1 and {MAX_PAGE}.", code="invalid_limit")
    return limit


def parse_cursor(after: str | None) -> Cursor | None:
    return Cursor.decode(after) if after else None
