"""The versioned catalogue records: loading the reviewed files, reading what is published,
drafts, publishing and the change history. Both database engines, through Piccolo.

Loading is idempotent by content: an entry gets a new version only when its file's JSON
differs from the version the files last produced, so a second `vienuviet catalogue load`
writes nothing, and a version an institution published later through the API is not
overwritten by an unchanged file.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import msgspec

from backend.catalogue.files import Catalogue
from backend.catalogue.model import KINDS
from backend.catalogue.tables import CatalogueRecord
from backend.lib.db import transaction, unique_violation
from backend.lib.errors import Conflict, NotFound
from backend.lib.time import as_utc, utcnow

Status = Literal["draft", "published"]
FILES_AUTHOR = "files"
_BATCH = 200


def encode(entry: msgspec.Struct) -> tuple[str, str]:
    """The entry's canonical JSON and its SHA-256."""
    raw = msgspec.json.encode(entry)
    return raw.decode("utf-8"), hashlib.sha256(raw).hexdigest()


def owner_of(entry: msgspec.Struct) -> str:
    """The catalogue institution that answers for an entry ('' when none does alone)."""
    if (institution := getattr(entry, "institution", None)) is not None:
        return str(institution)
    return str(entry.id) if entry.__class__.__name__ == "Institution" else ""  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LoadCounts:
    """What one load did, per kind: new entries, new versions of changed ones, unchanged."""

    added: Counter[str]
    changed: Counter[str]
    unchanged: Counter[str]

    @property
    def written(self) -> int:
        return sum(self.added.values()) + sum(self.changed.values())


def _entries(catalogue: Catalogue) -> Iterable[tuple[str, msgspec.Struct]]:
    for kind in KINDS:
        for entry in getattr(catalogue, kind).values():
            yield kind, entry


async def load_catalogue(catalogue: Catalogue, *, engine: Any) -> LoadCounts:
    """Write a published version for every entry whose content differs from the files' last."""
    rows = (
        await CatalogueRecord.select(
            CatalogueRecord.kind,
            CatalogueRecord.entry_id,
            CatalogueRecord.version,
            CatalogueRecord.content_sha256,
            CatalogueRecord.author,
        )
        .order_by(CatalogueRecord.version)
        .run()
    )
    latest: dict[tuple[str, str], int] = {}
    from_files: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["kind"], row["entry_id"])
        latest[key] = max(latest.get(key, 0), row["version"])
        if row["author"] == FILES_AUTHOR:
            from_files[key] = row["content_sha256"]
    counts = LoadCounts(Counter(), Counter(), Counter())
    now = utcnow()
    new: list[CatalogueRecord] = []
    for kind, entry in _entries(catalogue):
        key = (kind, str(entry.id))  # type: ignore[attr-defined]
        content, sha = encode(entry)
        if from_files.get(key) == sha:
            counts.unchanged[kind] += 1
            continue
        (counts.changed if key in latest else counts.added)[kind] += 1
        new.append(
            CatalogueRecord(
                id=uuid.uuid4(),
                kind=kind,
                entry_id=key[1],
                institution=owner_of(entry),
                version=latest.get(key, 0) + 1,
                content=content,
                content_sha256=sha,
                status="published",
                author=FILES_AUTHOR,
                created_at=now,
                published_at=now,
            )
        )
    if new:
        async with (
            unique_violation("Another load is running; try again.", code="load_conflict"),
            transaction(engine),
        ):
            for start in range(0, len(new), _BATCH):
                await CatalogueRecord.insert(*new[start : start + _BATCH]).run()
    return counts


async def revision() -> int:
    """A number that grows with every publication: the count of published versions (a version
    is never unpublished). One indexed aggregate: cheap enough to ask every few seconds."""
    return int(await CatalogueRecord.count().where(CatalogueRecord.status == "published").run())


async def published_catalogue() -> Catalogue:
    """The newest published version of every entry."""
    rows = (
        await CatalogueRecord.select(
            CatalogueRecord.kind, CatalogueRecord.entry_id, CatalogueRecord.content
        )
        .where(CatalogueRecord.status == "published")
        .order_by(CatalogueRecord.version)
        .run()
    )
    newest: dict[tuple[str, str], Any] = {}
    for row in rows:
        newest[(row["kind"], row["entry_id"])] = row["content"]
    catalogue = Catalogue()
    for (kind, entry_id), content in newest.items():
        if kind not in KINDS:
            continue
        raw = content if isinstance(content, str | bytes) else msgspec.json.encode(content)
        getattr(catalogue, kind)[entry_id] = msgspec.json.decode(raw, type=KINDS[kind])
    return catalogue


@dataclass(frozen=True)
class Version:
    """One version of an entry, as the history and the publishing API show it."""

    kind: str
    entry_id: str
    version: int
    status: Status
    author: str
    institution: str
    created_at: datetime
    published_at: datetime | None
    content: dict[str, Any] | None = None

    def as_json(self, *, with_content: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.entry_id,
            "version": self.version,
            "status": self.status,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }
        if with_content:
            data["content"] = self.content
        return data


def _version(row: dict[str, Any]) -> Version:
    content = row.get("content")
    if isinstance(content, str | bytes):
        content = msgspec.json.decode(content)
    published = row["published_at"]
    return Version(
        kind=row["kind"],
        entry_id=row["entry_id"],
        version=row["version"],
        status=row["status"],
        author=row["author"],
        institution=row["institution"],
        created_at=as_utc(row["created_at"]),
        published_at=as_utc(published) if published is not None else None,
        content=content,
    )


_META = (
    CatalogueRecord.kind,
    CatalogueRecord.entry_id,
    CatalogueRecord.version,
    CatalogueRecord.status,
    CatalogueRecord.author,
    CatalogueRecord.institution,
    CatalogueRecord.created_at,
    CatalogueRecord.published_at,
)


async def history(kind: str, entry_id: str) -> list[Version]:
    """Every version of an entry, newest first (without content)."""
    rows = (
        await CatalogueRecord.select(*_META)
        .where((CatalogueRecord.kind == kind) & (CatalogueRecord.entry_id == entry_id))
        .order_by(CatalogueRecord.version, ascending=False)
        .run()
    )
    return [_version(row) for row in rows]


async def version_of(kind: str, entry_id: str, version: int) -> Version | None:
    row = (
        await CatalogueRecord.select(*_META, CatalogueRecord.content)
        .where(
            (CatalogueRecord.kind == kind)
            & (CatalogueRecord.entry_id == entry_id)
            & (CatalogueRecord.version == version)
        )
        .first()
        .run()
    )
    return _version(row) if row else None


async def current_owner(kind: str, entry_id: str) -> str | None:
    """The institution of the entry's newest version (any status); None for a new entry."""
    row = (
        await CatalogueRecord.select(CatalogueRecord.institution)
        .where((CatalogueRecord.kind == kind) & (CatalogueRecord.entry_id == entry_id))
        .order_by(CatalogueRecord.version, ascending=False)
        .first()
        .run()
    )
    return None if row is None else str(row["institution"])


async def add_draft(kind: str, entry: msgspec.Struct, author: str, *, now: datetime) -> Version:
    """A new draft version of the entry (the next number). Call inside a write transaction."""
    entry_id = str(entry.id)  # type: ignore[attr-defined]
    content, sha = encode(entry)
    top = (
        await CatalogueRecord.select(CatalogueRecord.version)
        .where((CatalogueRecord.kind == kind) & (CatalogueRecord.entry_id == entry_id))
        .order_by(CatalogueRecord.version, ascending=False)
        .first()
        .run()
    )
    number = (top["version"] if top else 0) + 1
    async with unique_violation(
        "Another version of this entry was saved at the same moment; try again.",
        code="version_conflict",
    ):
        await CatalogueRecord.insert(
            CatalogueRecord(
                id=uuid.uuid4(),
                kind=kind,
                entry_id=entry_id,
                institution=owner_of(entry),
                version=number,
                content=content,
                content_sha256=sha,
                status="draft",
                author=author,
                created_at=now,
                published_at=None,
            )
        ).run()
    return Version(kind, entry_id, number, "draft", author, owner_of(entry), now, None,
                   msgspec.json.decode(content))  # fmt: skip


async def publish(kind: str, entry_id: str, version: int, *, now: datetime) -> Version:
    """Make a draft public. Call inside a write transaction. 404 for an unknown version, 409
    when it is published already or a newer version is."""
    found = await version_of(kind, entry_id, version)
    if found is None:
        raise NotFound("There is no such version of this entry.", code="version_not_found")
    if found.status == "published":
        raise Conflict("This version is published already.", code="already_published")
    newer = (
        await CatalogueRecord.exists()
        .where(
            (CatalogueRecord.kind == kind)
            & (CatalogueRecord.entry_id == entry_id)
            & (CatalogueRecord.version > version)
            & (CatalogueRecord.status == "published")
        )
        .run()
    )
    if newer:
        raise Conflict("A newer version of this entry is published.", code="newer_published")
    await (
        CatalogueRecord.update(
            {CatalogueRecord.status: "published", CatalogueRecord.published_at: now}
        )
        .where(
            (CatalogueRecord.kind == kind)
            & (CatalogueRecord.entry_id == entry_id)
            & (CatalogueRecord.version == version)
        )
        .run()
    )
    return Version(kind, entry_id, version, "published", found.author, found.institution,
                   found.created_at, now, found.content)  # fmt: skip
