"""E-address tables. Messages and receipts are immutable once written (database triggers refuse
UPDATE); what changes later (archiving, openings, notices) lives in rows of its own."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Institution(Table, tablename="eaddress_institution"):
    """A state institution registered as an API client (OAuth2 client credentials)."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    registration_number = Varchar(length=11, unique=True)
    client_id = Varchar(length=64, unique=True)
    secret_hash = Varchar(length=200, secret=True)
    """`scrypt$n$r$p$salt$hash`: the secret itself is shown once and never stored."""
    scopes = Varchar(length=200)
    """Space-separated OAuth scopes the client may request (`eaddress.send eaddress.read`)."""
    created_at = Timestamptz(default=TimestamptzNow())
    disabled_at = Timestamptz(null=True, default=None)


class Account(Table, tablename="eaddress_account"):
    """An e-address: a person's (activated by choice) or a company's (always active)."""

    id = UUID(primary_key=True)
    address = Varchar(length=320, unique=True)
    """How institutions address it: `pc:<personal code>`, `eidas:<id>` or `company:<number>`."""
    subject_key = Varchar(length=48, unique=True)
    """Whose it is, as the identity layer names subjects: `person:<uuid>` / `company:<n>`."""
    kind = Varchar(length=8)
    """`person` or `company`."""
    activated_at = Timestamptz()
    deactivated_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Message(Table, tablename="eaddress_message"):
    """One message, from an institution to a holder (`in`) or a holder's reply (`out`)."""

    id = UUID(primary_key=True)
    thread_id = UUID(index=True)
    """The id of the thread's first message."""
    in_reply_to = UUID(null=True, default=None)
    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.restrict)
    institution = ForeignKey(references=Institution, null=False, on_delete=OnDelete.restrict)
    direction = Varchar(length=3)
    """`in`: institution → holder; `out`: holder → institution (a reply)."""
    author_person_id = UUID(null=True, default=None)
    """For replies: the person who wrote it (the holder, a representative or a delegate)."""
    author_as_delegate = Boolean(default=False)
    subject = Varchar(length=300)
    body_text = Text()
    body_html = Text(null=True, default=None)
    """Sanitised with an allow-list before it is stored."""
    content_sha256 = Varchar(length=64)
    """SHA-256 over subject, bodies and attachment hashes: what the receipts prove."""
    sent_at = Timestamptz()
    deemed_delivered_on = Date(null=True, default=None)
    """Notification Law art. 9 date (messages to holders only)."""
    attachment_count = Integer(default=0)
    search_document = Text()
    """Subject, body and file names folded (lower case, no diacritics), for full-text search."""


class Attachment(Table, tablename="eaddress_attachment"):
    """A file in the content-addressed store, as uploaded by one party."""

    id = UUID(primary_key=True)
    owner_key = Varchar(length=48, index=True)
    """Who uploaded it: `institution:<uuid>`, `person:<uuid>` or `company:<n>`."""
    sha256 = Varchar(length=64, index=True)
    size = BigInt()
    content_type = Varchar(length=100)
    """Detected from the content, never taken from the file name or the client."""
    filename = Varchar(length=255)
    created_at = Timestamptz(default=TimestamptzNow())


class MessageAttachment(Table, tablename="eaddress_message_attachment"):
    id = UUID(primary_key=True)
    message = ForeignKey(references=Message, null=False, on_delete=OnDelete.restrict, index=True)
    attachment = ForeignKey(references=Attachment, null=False, on_delete=OnDelete.restrict)
    position = Integer()


class Receipt(Table, tablename="eaddress_receipt"):
    """One link of a message's receipt chain: sent → available → notified (per channel) →
    opened. At most one per (message, kind, channel); `channel` is "" except for `notified`."""

    id = UUID(primary_key=True)
    message = ForeignKey(references=Message, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=16)
    channel = Varchar(length=16, default="")
    at = Timestamptz()
    actor_person_id = UUID(null=True, default=None)
    """For `opened`: who opened it."""
    as_delegate = Boolean(default=False)
    detail = JSON(default="{}")
    """Identifiers only (e.g. the notification id), never content."""


class IdempotencyRecord(Table, tablename="eaddress_idempotency"):
    """The first answer to an institution's `Idempotency-Key`, replayed for repeats."""

    id = UUID(primary_key=True)
    institution = ForeignKey(references=Institution, null=False, on_delete=OnDelete.restrict)
    key = Varchar(length=255)
    request_sha256 = Varchar(length=64)
    status_code = Integer()
    response = JSON()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class ArchivedMessage(Table, tablename="eaddress_archived"):
    """A holder moved a message to the archive folder (the message itself is untouched)."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.restrict, index=True)
    message = ForeignKey(references=Message, null=False, on_delete=OnDelete.restrict, unique=True)
    archived_at = Timestamptz()
    archived_by_person_id = UUID()
