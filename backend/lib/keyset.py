"""Opaque keyset-pagination cursors over (a moment, an id), shared by every API that pages by
time: the e-address (sent_at) and the applications API (submitted_at). A cursor is the URL-safe
base64 of `<ISO time>|<uuid>`; what a bad one is called is each API's own error."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from backend.lib.time import as_utc


def encode_cursor(moment: datetime, ident: uuid.UUID) -> str:
    raw = f"{as_utc(moment).isoformat()}|{ident}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, uuid.UUID]:
    """The (moment, id) a cursor stands for; `ValueError` for anything this module did not
    write."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
        moment, ident = raw.split("|")
        return as_utc(datetime.fromisoformat(moment)), uuid.UUID(ident)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor") from None
