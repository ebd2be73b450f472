"""What the dashboard remembers in the database: consent per source, what was last observed
per source (fingerprints), the changes found, the person's last visit, and the data-access log.

Registry answers themselves live only in the cache (`cache.py`); here are fingerprints, the few
facts a change is told by, and who read what — never whole payloads.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import (
    JSON,
    UUID,
    BigSerial,
    Boolean,
    ForeignKey,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.lib.db import foreign_key


def _person_key(**options: Any) -> ForeignKey[Table]:
    """A key to auth's `Person` (by name: a feature does not import another's tables)."""
    return foreign_key("backend.auth.tables", "Person", **options)


class SourceConsent(Table, tablename="dashboard_consent"):
    """One decision of a person about one source; the latest per source is in force.

    No row means the default: granted. Rows are never updated, so they are the history.
    """

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade, index=True)
    source = Varchar(length=40)
    granted = Boolean()
    at = Timestamptz(default=TimestamptzNow())


class SeenState(Table, tablename="dashboard_seen"):
    """What a source last said about a person, as fingerprints (unique per person and source).

    `digests` maps a hash of each item's identity (a vehicle's plate, a declared person's code
    and property) to a hash of its content; `labels` keeps the few facts needed to say what
    disappeared ("X is no longer declared at Y").
    """

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade)
    source = Varchar(length=40)
    fingerprint = Varchar(length=64)
    digests = JSON(default="{}")
    labels = JSON(default="{}")
    observed_at = Timestamptz(default=TimestamptzNow())


class ChangeEntry(Table, tablename="dashboard_change"):
    """One change found in a person's registry data: the timeline of "changes since"."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade)
    source = Varchar(length=40)
    item = Varchar(length=40)
    """What changed: `declared_person`, `vehicle`, `identity_document`, …"""
    change = Varchar(length=10)
    """`added`, `removed` or `changed`."""
    detected_at = Timestamptz(default=TimestamptzNow())
    facts = JSON(default="{}")
    """Short facts to tell it by (name, address, date): strings only."""


class Visit(Table, tablename="dashboard_visit"):
    """Up to when the person has seen their changes (advanced by `markDashboardSeen`)."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade, unique=True)
    seen_up_to = Timestamptz()


class DataAccess(Table, tablename="dashboard_data_access"):
    """One registry read made for a subject: when, which source, why, on whose behalf.

    `id` orders entries (keyset pagination). No payload, no personal code: the subject is our
    own key, the actor our own person id.
    """

    id = BigSerial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow())
    subject_key = Varchar(length=48)
    """`person:<uuid>` or `company:<registration number>`: whose data was read."""
    source = Varchar(length=40)
    purpose = Varchar(length=40)
    """`dashboard`, `dashboard_refresh`, or a job's purpose such as `obligations`."""
    on_behalf = Varchar(length=16)
    """`self`, `representative`, `delegate` or `system`."""
    actor = _person_key(on_delete=OnDelete.restrict, null=True, default=None)
    """The person who asked (None for a job)."""
    outcome = Varchar(length=20)
    """`ok`, or why the read failed (`timeout`, `http_status`, `malformed`, …)."""
