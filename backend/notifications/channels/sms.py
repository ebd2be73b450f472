"""The SMS channel: one notice to the person's verified phone number (`sms_gateway.py` sends
it; `gsm.py` counts its segments)."""

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
from backend.notifications.channels.sms_gateway import SmsSender
from backend.notifications.engine.outbox import Claimed


@dataclass(frozen=True)
class SmsChannel:
    name: ClassVar[str] = "sms"

    sender: SmsSender
    public_url: str

    async def deliver(self, row: Claimed, targets: BatchContext) -> RowResult:
        test = row.kind == TEST_KIND
        contact = targets.contacts.get((row.person, "phone"))
        if (block := contact_block(contact, test)) is not None or contact is None:
            return RowResult(row, "skipped", reason=block)
        text = rendered(row, self.public_url).sms
        sent = await self.sender.send(contact.address, text)
        outcome = "failed" if sent.outcome == "refused" else sent.outcome
        attempt = AttemptRecord(
            "sms", contact.id, sent.outcome, sent.status, sent.error_class, sent.duration_ms
        )
        result = RowResult(
            row,
            outcome,
            reason=sent.error_class,
            retry_after_s=sent.retry_after_s,
            attempts=[attempt],
        )
        if sent.outcome == "delivered":
            result.status, result.reason = "sent", None
            result.succeeded.append(contact.id)
        elif sent.recipient_fault:
            result.blamed.append(contact.id)
        return result
