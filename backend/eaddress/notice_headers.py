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

from backend.auth.assurance import StepUpNeeded, require_level
from backend.auth.viewer import Viewer
from backend.eaddress.graphql.scope import level_for
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.eaddress.tables import Message
from backend.services import Services

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
    services: Services, viewer: Viewer, wanted: Iterable[tuple[str, str]]
) -> dict[str, NoticeHeader]:
    """Headers by message id for (mailbox subject key, message id) pairs the viewer may see."""
    by_subject: dict[str, set[uuid.UUID]] = {}
    for subject_key, message_id in wanted:
        try:
            by_subject.setdefault(subject_key, set()).add(uuid.UUID(message_id))
        except ValueError:
            continue
    found: dict[str, NoticeHeader] = {}
    for subject_key, ids in list(by_subject.items())[:MAX_LOOKUPS]:
        try:
            reader = Reader(viewer.person.id, subject_key)
        except ValueError:
            continue
        if await services.eaddress.access.grant(reader, MailboxAction.VIEW) is None:
            continue
        try:
            require_level(viewer.level, subject_key, services.settings.auth)
        except StepUpNeeded:
            continue
        content = viewer.level >= level_for(services, subject_key)
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
