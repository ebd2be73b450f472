"""Who sent the message an in-app notice is about, and its subject, for the signed-in list.

A notice about new official mail stores no content (push payloads, e-mail and SMS carry none:
`backend/notifications/render/messages.py`). The in-app list is read after login, so it may
name the sender and the subject (issue 15, item 10): they are looked up here when the list is
shown, with the same rules as the unread summary — the mailbox's `view` access and the
subject's own login level for the sender, the e-address's level for the subject line (part of
the content). A notice the reader may no longer see the mailbox of gets nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backend.auth.assurance import Level, StepUpNeeded, needed_level, require_level
from backend.eaddress.mailbox.access import MailboxAccess, MailboxAction, Reader
from backend.eaddress.tables import Message

if TYPE_CHECKING:
    from backend.settings import AuthSettings

MAX_LOOKUPS = 100

_HEADERS = (
    "SELECT m.id, m.subject, i.name AS institution_name FROM eaddress_message m "
    "JOIN eaddress_account a ON a.id = m.account "
    "JOIN eaddress_institution i ON i.id = m.institution "
    "WHERE a.subject_key = {} AND m.direction = 'in' AND m.id IN ({})"
)


@dataclass(frozen=True)
class NoticeHeader:
    institution_name: str
    subject: str | None
    """None while the login is weaker than the e-address accepts."""


async def notice_headers(
    access: MailboxAccess,
    auth: AuthSettings,
    reader: uuid.UUID,
    level: Level,
    wanted: Iterable[tuple[str, str]],
) -> dict[str, NoticeHeader]:
    """Headers by message id for (mailbox subject key, message id) pairs that `reader` (a
    person id), logged in at `level`, may see: `access` decides the mailbox (`view`), `auth`
    the login levels."""
    by_subject: dict[str, set[uuid.UUID]] = {}
    for subject_key, message_id in wanted:
        try:
            by_subject.setdefault(subject_key, set()).add(uuid.UUID(message_id))
        except ValueError:
            continue
    found: dict[str, NoticeHeader] = {}
    for subject_key, ids in list(by_subject.items())[:MAX_LOOKUPS]:
        try:
            mailbox_reader = Reader(reader, subject_key)
        except ValueError:
            continue
        if await access.grant(mailbox_reader, MailboxAction.VIEW) is None:
            continue
        try:
            require_level(level, subject_key, auth)
        except StepUpNeeded:
            continue
        # The e-address's own level (as `eaddress/graphql/scope.level_for` reads it).
        floor = Level.parse(auth.min_level_eaddress)
        content = level >= needed_level(subject_key, auth, floor=floor)
        ordered = sorted(ids)[:MAX_LOOKUPS]
        placeholders = ", ".join("{}" for _ in ordered)
        query = _HEADERS.format("{}", placeholders)
        rows = await Message.raw(query, subject_key, *ordered).run()
        for row in rows:
            found[str(uuid.UUID(str(row["id"])))] = NoticeHeader(
                institution_name=row["institution_name"],
                subject=row["subject"] if content else None,
            )
    return found
