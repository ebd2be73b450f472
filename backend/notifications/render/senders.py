"""The signed-in list's words for a mail notice: who sent the message, and its subject.

A stored notice about official mail holds only the message id (push, e-mail and SMS say only
that mail is waiting). Where a signed-in person reads their list — the notifications page, its
live stream, GraphQL — the body gains "Sender: …. Subject: “…”." (issue 15, item 10), looked
up when shown with the mailbox's own access rules (`backend/eaddress/notice_headers.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from backend.eaddress.notice_headers import NoticeHeader, notice_headers
from backend.lib import i18n
from backend.notifications.channels.inapp import InAppItem

if TYPE_CHECKING:
    from backend.auth.assurance import Level
    from backend.eaddress.mailbox.access import MailboxAccess
    from backend.settings import AuthSettings


def said(body: str, header: NoticeHeader) -> str:
    """`body` followed by the sender and, when the login may see it, the subject."""
    sender = i18n.gettext("Sender: %(institution)s.") % {"institution": header.institution_name}
    subject = (
        i18n.gettext("Subject: “%(subject)s”.") % {"subject": header.subject}
        if header.subject
        else ""
    )
    return " ".join(part for part in (body, sender, subject) if part)


async def with_senders(
    access: MailboxAccess,
    auth: AuthSettings,
    reader: uuid.UUID,
    level: Level,
    items: Sequence[InAppItem],
) -> list[InAppItem]:
    """`items`, mail notices among them naming their message's sender (and subject); `access`
    is the e-address's (who may see which mailbox), `auth` the login-level settings, `reader`
    the signed-in person's id and `level` their login's."""
    wanted = [(item.subject_key, item.message_id) for item in items if item.message_id]
    if not wanted:
        return list(items)
    headers = await notice_headers(access, auth, reader, level, wanted)
    return [
        replace(item, body=said(item.body, headers[item.message_id]))
        if item.message_id in headers
        else item
        for item in items
    ]
