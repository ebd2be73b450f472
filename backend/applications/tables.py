"""What the applications feature stores: each application and every step of its timeline.

Answers are JSON (field id → answer) because forms are data: a new service adds no column.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
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

from backend.lib.db import foreign_key


class Application(Table, tablename="applications_application"):
    """One application of a person or company for one service."""

    id = UUID(primary_key=True)
    subject_key = Varchar(length=60, index=True)
    """Whose application: `person:<uuid>` or `company:<registration number>`."""
    service = Varchar(length=80)
    """The catalogue's service id (`childbirth-benefit`)."""
    status = Varchar(length=24)
    outcome = Varchar(length=12, null=True, default=None)
    answers = Text(default="{}")
    """JSON: field id → answer."""
    sources = Text(default="{}")
    """JSON: field id → where a prefilled answer came from (source, as-of) and what it showed."""
    client_key = Varchar(length=64, null=True, default=None)
    """The form's one-time key: saving or submitting the same form twice is one application
    (unique per subject, index in the migration)."""
    prepared_key = Varchar(length=120, null=True, default=None)
    """For applications the state prepared: what made the person eligible (service and a hash
    of the fact), so the same fact prepares one application (unique per subject)."""
    reasons = Text(null=True, default=None)
    """JSON list of translatable texts: why the state prepared it."""
    respond_by = Date(null=True, default=None)
    """The legal deadline the person must act by (a prepared application's confirmation)."""
    created_by = foreign_key(
        "backend.auth.tables", "Person", on_delete=OnDelete.set_null, null=True, default=None
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)


class ApplicationEvent(Table, tablename="applications_event"):
    """One step of an application's timeline: from, to, when, who, a note."""

    id = UUID(primary_key=True)
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow())
    from_status = Varchar(length=24, null=True, default=None)
    to_status = Varchar(length=24)
    actor = Varchar(length=16)
    """`person`, `institution` or `system`."""
    actor_person = foreign_key(
        "backend.auth.tables", "Person", on_delete=OnDelete.set_null, null=True, default=None
    )
    note = Text(default="")
    outcome = Varchar(length=12, null=True, default=None)


class ApplicationAttachment(Table, tablename="applications_attachment"):
    """A file the applicant added, kept in the e-address attachment store (one content-
    addressed store for every file a person exchanges with the state)."""

    id = UUID(primary_key=True)
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    attachment = foreign_key("backend.eaddress.tables", "Attachment", on_delete=OnDelete.restrict)
    added_by = foreign_key(
        "backend.auth.tables", "Person", on_delete=OnDelete.set_null, null=True, default=None
    )
    added_at = Timestamptz(default=TimestamptzNow())


class ApplicationMessage(Table, tablename="applications_message"):
    """The official e-address message an institution's step sent the applicant (a decision, a
    request for information): which step, which message, when it counts as delivered. One per
    step (unique index), so a retry cannot send it twice."""

    id = UUID(primary_key=True)
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    event = ForeignKey(references=ApplicationEvent, on_delete=OnDelete.cascade)
    message_id = UUID()
    """`eaddress_message.id`; not a foreign key: the e-address's tables are its own."""
    sent_at = Timestamptz(default=TimestamptzNow())
    deemed_delivered_on = Date()


class ApplicationIdempotency(Table, tablename="applications_idempotency"):
    """The first answer to an institution's `Idempotency-Key` on the applications API,
    replayed for a retry with the same body (unique on client and key)."""

    id = UUID(primary_key=True)
    client = foreign_key("backend.eaddress.tables", "Institution", on_delete=OnDelete.restrict)
    key = Varchar(length=255)
    request_sha256 = Varchar(length=64)
    status_code = Integer()
    response = JSON()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
