"""Private calendar feeds: a secret URL per person and subject, regenerable and revocable.

The URL carries a random token (256 bits); only its SHA-256 is stored, so the database alone
does not open anyone's calendar. Creating a feed for a subject revokes the person's earlier
one for it. The token is shown once, when the feed is made, and never logged.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.auth.people import PersonRecord, get_person
from backend.lib import db
from backend.lib.errors import NotFound
from backend.lib.time import as_utc, utcnow
from backend.obligations.tables import CalendarFeed

TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
"""`secrets.token_urlsafe(32)`: 43 URL-safe characters."""
FEED_PATH = "/calendar/{token}.ics"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class FeedInfo:
    subject_key: str
    created_at: datetime


@dataclass(frozen=True)
class FeedOwner:
    person: PersonRecord
    subject_key: str


async def create(person: PersonRecord, subject_key: str, engine: Any) -> tuple[str, FeedInfo]:
    """A new feed for `person` and `subject_key` (the earlier one stops working); returns the
    token, to be shown once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    async with db.transaction(engine):
        await (
            CalendarFeed.update({CalendarFeed.revoked_at: now})
            .where(
                (CalendarFeed.person == person.id)
                & (CalendarFeed.subject_key == subject_key)
                & CalendarFeed.revoked_at.is_null()
            )
            .run()
        )
        async with db.unique_violation("a feed was created at the same moment"):
            await CalendarFeed.insert(
                CalendarFeed(
                    id=uuid.uuid4(),
                    person=person.id,
                    subject_key=subject_key,
                    token_hash=token_hash(token),
                    created_at=now,
                )
            ).run()
    return token, FeedInfo(subject_key, now)


async def revoke(person: PersonRecord, subject_key: str, engine: Any) -> None:
    """Stop the person's feed for the subject; NotFound when there is none."""
    async with db.transaction(engine):
        live = await (
            CalendarFeed.select(CalendarFeed.id)
            .where(
                (CalendarFeed.person == person.id)
                & (CalendarFeed.subject_key == subject_key)
                & CalendarFeed.revoked_at.is_null()
            )
            .run()
        )
        if not live:
            raise NotFound("There is no calendar feed to revoke.")
        await (
            CalendarFeed.update({CalendarFeed.revoked_at: utcnow()})
            .where(CalendarFeed.id.is_in([row["id"] for row in live]))
            .run()
        )


async def live_feeds(person: PersonRecord) -> list[FeedInfo]:
    rows = await (
        CalendarFeed.select(CalendarFeed.subject_key, CalendarFeed.created_at)
        .where((CalendarFeed.person == person.id) & CalendarFeed.revoked_at.is_null())
        .order_by(CalendarFeed.created_at)
        .run()
    )
    return [FeedInfo(row["subject_key"], as_utc(row["created_at"])) for row in rows]


async def owner_of(token: str) -> FeedOwner:
    """Whose live feed this token opens; NotFound for a malformed, unknown or revoked one."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise NotFound("No such calendar.")
    row = await (
        CalendarFeed.select(CalendarFeed.person, CalendarFeed.subject_key)
        .where((CalendarFeed.token_hash == token_hash(token)) & CalendarFeed.revoked_at.is_null())
        .first()
        .run()
    )
    person = None if row is None else await get_person(row["person"])
    if row is None or person is None:
        raise NotFound("No such calendar.")
    return FeedOwner(person, row["subject_key"])
