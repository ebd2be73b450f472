"""The outbox table: one row per domain event, written in the transaction that caused it."""

from __future__ import annotations

from piccolo.columns import JSON, UUID, Integer, Timestamptz, Varchar
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
    attempts = Integer(default=0)
    """Attempts its consumer made (counted when claimed, so a worker that dies mid-event
    counts too); reset by `vienuviet events retry`."""
    retry_at = Timestamptz(null=True, default=None)
    """Not offered before this: the backoff after a failure, or the lease of a claim. NULL:
    due now."""
    consumer = Varchar(length=60, null=True, default=None)
    """The consumer that last claimed it (each kind has one consumer: events do not fan out)."""
    last_error = Varchar(length=120, null=True, default=None)
    """The exception type of the last failure, never its message (it may quote the payload)."""
    dead_at = Timestamptz(null=True, default=None)
    """Dead-lettered: failed `EVENTS_MAX_ATTEMPTS` times; offered again only after an operator
    runs `vienuviet events retry`."""
