"""Who may do what with a mailbox: the small protocol the identity layer implements.

Every mailbox service function takes a `Reader` — the person acting, and on whose behalf
(`person:<uuid>` or `company:<registration number>`) — and a `MailboxAccess`, and asks it
before touching anything. The identity layer knows sessions, company representation and
delegations; this package only knows mailboxes. The answer also says whether the person acts
as a delegate, which the receipt of a first opening records.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from backend.lib.errors import Forbidden

_SUBJECT = re.compile(
    r"^(person:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|company:\d{11})$"
)


class MailboxAction(StrEnum):
    VIEW = "view"
    """List, read (records the first opening), search, download, export proof."""
    SEND = "send"
    """Reply to an institution (and archive)."""
    MANAGE = "manage"
    """Activate or deactivate the e-address (a person's own only)."""


@dataclass(frozen=True)
class Reader:
    person_id: uuid.UUID
    """Who is reading: the logged-in person."""
    subject_key: str
    """Whose mailbox: `person:<uuid>` or `company:<registration number>`."""

    def __post_init__(self) -> None:
        if not _SUBJECT.match(self.subject_key):
            raise ValueError("subject_key must be person:<uuid> or company:<11 digits>")

    @property
    def acts_for_self(self) -> bool:
        return self.subject_key == f"person:{self.person_id}"

    @classmethod
    def own(cls, person_id: uuid.UUID) -> Reader:
        return cls(person_id=person_id, subject_key=f"person:{person_id}")


@dataclass(frozen=True)
class Grant:
    as_delegate: bool = False
    """True when the person acts under a delegation (not as the holder or a representative)."""


class MailboxAccess(Protocol):
    async def grant(self, reader: Reader, action: MailboxAction) -> Grant | None:
        """A grant if `reader.person_id` may do `action` for `reader.subject_key`, else None."""
        ...


class OwnMailboxOnly:
    """The default until the identity layer plugs in: a person acts only for themself."""

    async def grant(self, reader: Reader, action: MailboxAction) -> Grant | None:
        return Grant(as_delegate=False) if reader.acts_for_self else None


@dataclass(frozen=True)
class PredicateAccess:
    """Access decided by a caller-supplied coroutine (handy for GraphQL resolvers and tests)."""

    decide: Callable[[Reader, MailboxAction], Awaitable[Grant | None]]

    async def grant(self, reader: Reader, action: MailboxAction) -> Grant | None:
        return await self.decide(reader, action)


async def require(access: MailboxAccess, reader: Reader, action: MailboxAction) -> Grant:
    """The grant, or Forbidden (`mailbox_forbidden`)."""
    granted = await access.grant(reader, action)
    if granted is None:
        raise Forbidden("You may not do this in this mailbox.", code="mailbox_forbidden")
    if action is MailboxAction.MANAGE and not reader.acts_for_self:
        raise Forbidden("Only the holder manages a personal e-address.", code="mailbox_forbidden")
    return granted
