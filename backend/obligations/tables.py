"""What the obligations feature stores: marks (done, snoozed, acknowledged), reminders sent,
calendar feeds, moves people told us about, and the daily sweep's progress.

Obligations themselves are never stored: they are computed from registry facts each time, so
they are always as true as the registries. Only what the registries cannot know is kept.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import (
    UUID,
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

from backend.lib.db import foreign_key


def _person_key(**options: Any) -> ForeignKey[Table]:
    """A key to auth's `Person` (by name: a feature does not import another's tables)."""
    return foreign_key("backend.auth.tables", "Person", **options)


class ObligationMark(Table, tablename="obligations_mark"):
    """The person's word on one occurrence of an obligation (an obligation at one due date)."""

    id = UUID(primary_key=True)
    occurrence = Varchar(length=120, unique=True)
    """`<obligation id>:<due date>`: a moved due date is a new occurrence with no mark."""
    subject_key = Varchar(length=60, index=True)
    obligation_id = Varchar(length=64)
    done_at = Timestamptz(null=True, default=None)
    snoozed_until = Date(null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)
    # Marks belong to the subject (a company's obligation done by one representative is done);
    # who made the mark is kept for the record and must not vanish with the person.
    marked_by = _person_key(on_delete=OnDelete.set_null, null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class Reminder(Table, tablename="obligations_reminder"):
    """One reminder step of one occurrence, handed to the notification centre exactly once."""

    id = UUID(primary_key=True)
    key = Varchar(length=140, unique=True)
    """`<occurrence>:<step>`: the unique key that makes the daily run idempotent."""
    subject_key = Varchar(length=60, index=True)
    obligation_id = Varchar(length=64)
    rule = Varchar(length=64)
    title = Varchar(length=300)
    """What the notice says, in Latvian (no personal codes); rows from before `title_text`
    have only this, in English."""
    title_text = Text(null=True, default=None)
    """The title as a translatable text (`backend.lib.texts.Text.to_json`): the
    notification centre renders it in each recipient's language."""
    action_url = Varchar(length=300)
    due_date = Date()
    step = Integer()
    """Days before the due date; 0 for something due now; -1 for the overdue notice."""
    escalate = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class CalendarFeed(Table, tablename="obligations_calendar_feed"):
    """A private iCalendar feed of one person for one subject; the URL's token, hashed."""

    id = UUID(primary_key=True)
    # A feed is the person's own: it goes when the person goes.
    person = _person_key(on_delete=OnDelete.cascade)
    subject_key = Varchar(length=60)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class ReportedMove(Table, tablename="obligations_move"):
    """A move the person told us of (no registry knows of it until it is declared)."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade, unique=True)
    moved_on = Date()
    reported_at = Timestamptz(default=TimestamptzNow())


class Sweep(Table, tablename="obligations_sweep"):
    """The daily reminder run's progress per subject and day (lets many workers share it)."""

    id = UUID(primary_key=True)
    subject_key = Varchar(length=60)
    day = Date(index=True)
    done = Boolean(default=False)
    """False: a source failed; tried again after `next_attempt_at`."""
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
