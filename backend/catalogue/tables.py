"""Catalogue tables: every version of every entry, who may publish for which institution, and
the answers kept for publishers' `Idempotency-Key`s.

A record is one version of one entry (a service, life situation, institution or client service
centre) as the content model's JSON. Both paths — the reviewed files (`vienuviet catalogue
load`) and the institutions' publishing API — write the same rows. Versions of an entry count
1, 2, 3 …; a version is a `draft` until published and never changes after that, so the change
history is the rows themselves.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import JSON, UUID, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.lib.db import foreign_key


class CatalogueRecord(Table, tablename="catalogue_record"):
    """One version of one catalogue entry. Unique on (kind, entry_id, version)."""

    id = UUID(primary_key=True)
    kind = Varchar(length=20)
    """`services`, `life_situations`, `institutions` or `service_centres`."""
    entry_id = Varchar(length=80)
    institution = Varchar(length=80, default="")
    """The responsible institution's catalogue id (services; an institution's own id)."""
    version = Integer()
    content = JSON()
    content_sha256 = Varchar(length=64)
    status = Varchar(length=10)
    """`draft` or `published`."""
    author = Varchar(length=100)
    """`files` for the reviewed content files, `client:<client_id>` for a publisher."""
    created_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)


def _client_key(**options: Any) -> ForeignKey[Table]:
    """A key to the e-address's API client (`eaddress_institution`), by name: a feature does
    not import another's tables."""
    return foreign_key(
        "backend.eaddress.tables", "Institution", null=False, on_delete=OnDelete.restrict, **options
    )


class CataloguePublisher(Table, tablename="catalogue_publisher"):
    """An API client (registered with `vienuviet institution add`) allowed to publish the
    services of one catalogue institution (`vienuviet catalogue link`)."""

    id = UUID(primary_key=True)
    client = _client_key(unique=True)
    institution = Varchar(length=80)
    linked_at = Timestamptz(default=TimestamptzNow())


class CatalogueIdempotency(Table, tablename="catalogue_idempotency"):
    """The first answer to a publisher's `Idempotency-Key`, replayed for repeats."""

    id = UUID(primary_key=True)
    client = _client_key()
    key = Varchar(length=255)
    request_sha256 = Varchar(length=64)
    status_code = Integer()
    response = JSON()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
