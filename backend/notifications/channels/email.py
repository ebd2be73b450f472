"""The e-mail channel: one notice to the person's verified address (`smtp.py` sends it), with
a one-click unsubscribe link for everything that is not a legal notice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from backend.notifications.channels.base import (
    TEST_KIND,
    AttemptRecord,
    BatchContext,
    RowResult,
    contact_block,
    rendered,
)
from backend.notifications.channels.smtp import EmailSender
from backend.notifications.engine.outbox import Claimed
from backend.notifications.model import USER_CATEGORIES, Category
from backend.notifications.preferences.unsubscribe import unsubscribe_url
from backend.notifications.render import mail
from backend.notifications.render.messages import in_language
from backend.settings import Settings

SETTINGS_PATH = "/settings/notifications"


@dataclass(frozen=True)
class EmailChannel:
    name: ClassVar[str] = "email"

    sender: EmailSender
    settings: Settings
    """The sender address, and the secret that signs unsubscribe links."""
    public_url: str

    async def deliver(self, row: Claimed, targets: BatchContext) -> RowResult:
        test = row.kind == TEST_KIND
        contact = targets.contacts.get((row.person, "email"))
        if (block := contact_block(contact, test)) is not None or contact is None:
            return RowResult(row, "skipped", reason=block)
        notice = rendered(row, self.public_url)
        category = Category(row.category)
        with in_language(row.language):
            message = mail.notification_email(
                notice,
                to=contact.address,
                sender=self.settings.email.sender,
                settings_url=self.public_url + SETTINGS_PATH,
                unsubscribe_url=unsubscribe_url(
                    self.settings, row.person, row.subject_key, category
                )
                if category in USER_CATEGORIES
                else None,
                legal=row.legal,
            )
        sent = await self.sender.send(message)
        attempt = AttemptRecord(
            "email", contact.id, sent.outcome, sent.status, sent.error_class, sent.duration_ms
        )
        result = RowResult(row, sent.outcome, reason=sent.error_class, attempts=[attempt])
        if sent.outcome == "delivered":
            result.status, result.reason = "sent", None
            result.succeeded.append(contact.id)
        elif sent.outcome == "failed":
            result.blamed.append(contact.id)  # a 5xx from the server: this address bounced
        return result
