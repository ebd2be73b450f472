"""The outbox table: one row per domain event, written in the transaction that caused it."""

from __future__ import annotations

from piccolo.columns import JSON, UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class DomainEvent(Table, tablename="events_event"):
    """Something that happened, for consumers that act on it later (notices, escalations).

    `payload` holds identifiers only (message ids, account ids, dates), never content or
    personal data: consumers load what they need, with their own authorization.
    """

    id = UUID(primary_key=True)
    kind = Varchar(length=100)
    """Dotted name, `<feature>.<what happened>`, e.g. `eaddress.message_received`."""
    subject_key = Varchar(length=48, index=True)
    """Whom it concerns: `person:<uuid>` or `company:<registration number>`."""
    payload = JSON(default="{}")
    dedup_key = Varchar(length=200, unique=True)
    """The same event is recorded once, however many writers try (retries, two workers)."""
    created_at = Timestamptz(default=TimestamptzNow())
    consumed_at = Timestamptz(null=True, default=None)
