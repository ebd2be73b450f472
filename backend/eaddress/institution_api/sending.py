"""An institution sends a message: check what needs no database, look up what does in one
query, then write every row at once, the Idempotency-Key among them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.eaddress.errors import MessageTooLarge, TooManyAttachments
from backend.eaddress.institution_api import idempotency
from backend.eaddress.institution_api.intake import ParsedRequest
from backend.eaddress.institution_api.tokens import InstitutionPrincipal
from backend.eaddress.mailbox.accounts import (
    AccountInfo,
    account_from_row,
    check_recipient,
    recipient_address,
)
from backend.eaddress.storage.content import sanitise_html
from backend.eaddress.storage.writing import AttachmentDraft, MessageDraft, write_message
from backend.eaddress.tables import Attachment, Message
from backend.lib.db import unique_violation
from backend.lib.errors import UniqueViolation, Unprocessable
from backend.lib.statements import Statement, fetch
from backend.lib.time import utcnow
from backend.lib.workdays import deemed_delivered_on
from backend.settings import EAddressSettings

MAX_SUBJECT_CHARS = 300


@dataclass(frozen=True)
class SendResult:
    status_code: int
    body: dict[str, Any]
    replayed: bool


def _invalid(message: str) -> Unprocessable:
    return Unprocessable(message, code="invalid_message")


def clean_text(
    subject: str, body: str, html: str | None, settings: EAddressSettings
) -> tuple[str, str, str | None]:
    """Validated subject, body and sanitised HTML (shared with holders' replies)."""
    subject = subject.strip()
    if not subject or len(subject) > MAX_SUBJECT_CHARS or any(c in subject for c in "\r\n\x00"):
        raise _invalid(f"The subject must be one line of 1-{MAX_SUBJECT_CHARS} characters.")
    if not body.strip() or len(body) > settings.max_body_chars or "\x00" in body:
        raise _invalid(f"The body must hold 1-{settings.max_body_chars} characters of text.")
    if html is not None:
        if len(html) > settings.max_body_chars or "\x00" in html:
            raise _invalid(f"The HTML body may hold at most {settings.max_body_chars} characters.")
        html = sanitise_html(html).strip() or None
    return subject, body, html


async def earlier_uploads(owner_key: str, ids: list[uuid.UUID]) -> list[AttachmentDraft]:
    """Attachments this owner uploaded before, in the order asked; 422 for anyone else's."""
    if len(set(ids)) != len(ids):
        raise Unprocessable("An attachment is listed twice.", code="unknown_attachment")
    if not ids:
        return []
    rows = (
        await Attachment.select()
        .where(Attachment.id.is_in(ids) & (Attachment.owner_key == owner_key))
        .run()
    )
    by_id = {row["id"]: row for row in rows}
    if len(by_id) != len(ids):
        raise Unprocessable("No such uploaded attachment.", code="unknown_attachment")
    return [
        AttachmentDraft(
            filename=by_id[i]["filename"],
            content_type=by_id[i]["content_type"],
            sha256=by_id[i]["sha256"],
            size=by_id[i]["size"],
            existing_id=i,
        )
        for i in ids
    ]


async def _thread(
    thread_id: uuid.UUID | None, institution_id: uuid.UUID, account: AccountInfo
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(thread id, message replied to) for a message continuing a thread, or (None, None)."""
    if thread_id is None:
        return None, None
    last = (
        await Message.select(Message.id, Message.thread_id)
        .where(
            (Message.thread_id == thread_id)
            & (Message.institution == institution_id)
            & (Message.account == account.id)
        )
        .order_by(Message.sent_at, ascending=False)
        .first()
        .run()
    )
    if last is None:
        raise Unprocessable("No such thread with this recipient.", code="unknown_thread")
    return last["thread_id"], last["id"]


async def prepare(
    principal: InstitutionPrincipal,
    parsed: ParsedRequest,
    text: tuple[str, str, str | None],
    account: AccountInfo,
    *,
    settings: EAddressSettings,
    sent_at: datetime,
) -> MessageDraft:
    """The message to write, after the checks that need the database."""
    subject, body, html = text
    attachments = await earlier_uploads(principal.owner_key, parsed.message.attachment_ids)
    attachments += [
        AttachmentDraft(
            filename=f.filename, content_type=f.content_type, sha256=f.sha256, size=f.size
        )
        for f in parsed.files
    ]
    total = sum(a.size for a in attachments) + len(body.encode()) + len((html or "").encode())
    if total > settings.max_message_bytes:
        raise MessageTooLarge(settings.max_message_bytes)
    thread_id, in_reply_to = await _thread(
        parsed.message.thread_id, principal.institution_id, account
    )
    message_id = uuid.uuid4()
    return MessageDraft(
        id=message_id,
        thread_id=thread_id or message_id,
        in_reply_to=in_reply_to,
        account_id=account.id,
        account_subject_key=account.subject_key,
        institution_id=principal.institution_id,
        direction="in",
        subject=subject,
        body_text=body,
        body_html=html,
        sent_at=sent_at,
        deemed_delivered_on=deemed_delivered_on(sent_at, settings.deemed_delivery_working_days),
        owner_key=principal.owner_key,
        attachments=attachments,
    )


def accepted_body(draft: MessageDraft) -> dict[str, Any]:
    assert draft.deemed_delivered_on is not None
    return {
        "id": str(draft.id),
        "thread_id": str(draft.thread_id),
        "sent_at": draft.sent_at.isoformat(),
        "deemed_delivered_on": draft.deemed_delivered_on.isoformat(),
        "content_sha256": draft.content_sha256,
        "attachments": [a.as_json() for a in draft.attachments],
    }


async def _lookup(institution_id: uuid.UUID, key: str, address: str) -> dict[str, Any] | None:
    """One round trip for what every send needs: the institution's state, an earlier answer
    to this key, and the recipient's account."""
    sql = (
        "SELECT i.disabled_at, k.request_sha256, k.status_code, k.response, "
        "a.id AS account_id, a.address, a.subject_key, a.kind, a.activated_at, a.deactivated_at "
        "FROM eaddress_institution i "
        "LEFT JOIN eaddress_idempotency k ON k.institution = i.id AND k.key = {} "
        "LEFT JOIN eaddress_account a ON a.address = {} WHERE i.id = {}"
    )
    rows = await fetch(Message, Statement(sql, (key, address, institution_id)))
    return rows[0] if rows else None


async def send_message(
    principal: InstitutionPrincipal,
    parsed: ParsedRequest,
    idempotency_key: str,
    settings: EAddressSettings,
    *,
    now: datetime | None = None,
) -> SendResult:
    """Send, or replay the answer already given to this Idempotency-Key.

    Checks that need no database come first (a replay carries the same body, so it passes
    them too); then one query answers whether the institution is enabled, whether the key was
    used and who the recipient is; then every row is written at once, the key among them. Of
    concurrent duplicates one wins the key's unique index; the others replay its answer.
    """
    message = parsed.message
    text = clean_text(message.subject, message.body, message.body_html, settings)
    address = recipient_address(message.recipient.type, message.recipient.id)
    if len(message.attachment_ids) + len(parsed.files) > settings.max_attachments:
        raise TooManyAttachments(settings.max_attachments)
    fingerprint = parsed.fingerprint()
    institution_id = principal.institution_id
    row = await _lookup(institution_id, idempotency_key, address)
    if prior := idempotency.answer_from_row(row, fingerprint):
        return SendResult(prior.status_code, prior.body, replayed=True)
    assert row is not None
    account = check_recipient(address, account_from_row(row))
    sent_at = now or utcnow()
    draft = await prepare(principal, parsed, text, account, settings=settings, sent_at=sent_at)
    body = accepted_body(draft)
    claim = idempotency.remember(
        institution_id, idempotency_key, fingerprint, status_code=201, body=body, at=sent_at
    )
    try:
        async with unique_violation("Idempotency-Key taken", code=idempotency.CONFLICT_CODE):
            await write_message(draft, together_with=[claim])
    except UniqueViolation:
        prior = await idempotency.stored_answer(institution_id, idempotency_key, fingerprint)
        if prior is None:  # not the key that collided: a real error
            raise
        return SendResult(prior.status_code, prior.body, replayed=True)
    return SendResult(201, body, replayed=False)
