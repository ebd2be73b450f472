"""Changes since my last visit: noticing what changed in a person's registry data, the
timeline of those changes, and how far the person has seen it.

Whenever a source is fetched fresh for a person (their dashboard, a refresh, a job), its items
are compared with the fingerprints of what it said last time (`observations.py`). Differences
become timeline entries and, for a person newly declared at the person's property, a
`dashboard.person_declared` domain event — written in the same transaction as the new
fingerprints, which only one observer can swap in (compare-and-set), so a change is recorded
once however many requests notice it. The first observation of a source is the baseline and
records nothing: everything is new on a first visit.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.dashboard.observations import Item, items_of
from backend.dashboard.tables import ChangeEntry, SeenState, Visit
from backend.events.service import record_event
from backend.lib import db
from backend.lib.errors import UniqueViolation
from backend.lib.time import as_utc, utcnow

PERSON_DECLARED = "dashboard.person_declared"


@dataclass(frozen=True)
class Change:
    id: uuid.UUID
    source: str
    item: str
    change: str
    """`added`, `removed` or `changed`."""
    detected_at: datetime
    facts: dict[str, str | None]
    is_new: bool = False
    """Detected after the person last marked the dashboard seen."""

    @property
    def kind(self) -> str:
        return f"{self.item}.{self.change}"


@dataclass(frozen=True)
class Timeline:
    seen_up_to: datetime | None
    new_count: int
    entries: list[Change]


def fingerprint(digests: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(digests.items())).encode()).hexdigest()


def _diff(
    source: str, items: list[Item], before: dict[str, str], labels: dict[str, Any]
) -> list[tuple[Change, str]]:
    """(change, hashed item identity) for every item added, changed or removed."""
    now = utcnow()
    found: list[tuple[Change, str]] = []
    current = {item.key for item in items}
    for item in items:
        old = before.get(item.key)
        if old != item.content:
            change = "added" if old is None else "changed"
            found.append(
                (Change(uuid.uuid4(), source, item.kind, change, now, item.facts), item.key)
            )
    for key in before:
        if key not in current:
            label = labels.get(key) or {}
            kind = str(label.get("kind") or "item")
            facts = {str(k): v for k, v in (label.get("facts") or {}).items()}
            found.append((Change(uuid.uuid4(), source, kind, "removed", now, facts), key))
    return found


async def _baseline(person_id: uuid.UUID, source: str, state: dict[str, Any]) -> None:
    try:
        async with db.unique_violation("already observed"):
            await SeenState.insert(SeenState(person=person_id, source=source, **state)).run()
    except UniqueViolation:
        pass  # a concurrent first observation made the baseline


async def observe(
    engine: Any, person_id: uuid.UUID, source: str, parts: dict[str, Any]
) -> list[Change]:
    """Compare a fresh answer with what the source said last time; record what changed."""
    items = items_of(source, parts)
    digests = {item.key: item.content for item in items}
    state: dict[Any, Any] = {
        "fingerprint": fingerprint(digests),
        "digests": digests,
        "labels": {item.key: {"kind": item.kind, "facts": item.facts} for item in items},
        "observed_at": utcnow(),
    }
    row = await (
        SeenState.select()
        .where((SeenState.person == person_id) & (SeenState.source == source))
        .output(load_json=True)
        .first()
    )
    if row is None:
        await _baseline(person_id, source, state)
        return []
    if row["fingerprint"] == state["fingerprint"]:
        return []
    found = _diff(source, items, row["digests"] or {}, row["labels"] or {})
    async with db.transaction(engine):
        swapped = await (
            SeenState.update(state)
            .where((SeenState.id == row["id"]) & (SeenState.fingerprint == row["fingerprint"]))
            .returning(SeenState.id)
        )
        if not swapped:
            return []  # another request recorded this very change first
        for change, key in found:
            await ChangeEntry.insert(
                ChangeEntry(
                    id=change.id,
                    person=person_id,
                    source=source,
                    item=change.item,
                    change=change.change,
                    detected_at=change.detected_at,
                    facts=change.facts,
                )
            ).run()
            if change.item == "declared_person" and change.change == "added":
                await _person_declared(person_id, change, key)
    return [change for change, _key in found]


async def _person_declared(person_id: uuid.UUID, change: Change, key: str) -> None:
    """Tell the notification centre: identifiers only; it loads the change itself. The dedup
    key names the person, the property and declared person (hashed) and the date."""
    declared_on = change.facts.get("declared_on") or ""
    await record_event(
        PERSON_DECLARED,
        f"person:{person_id}",
        {"change_id": str(change.id), "source": change.source, "declared_on": declared_on},
        dedup_key=f"{PERSON_DECLARED}:{person_id}:{key}:{declared_on}",
    )


async def timeline(person_id: uuid.UUID, *, limit: int = 50) -> Timeline:
    """The person's changes, newest first, marked new when detected after their last visit."""
    visit = await Visit.select(Visit.seen_up_to).where(Visit.person == person_id).first()
    seen_up_to = as_utc(visit["seen_up_to"]) if visit else None
    rows = await (
        ChangeEntry.select()
        .where(ChangeEntry.person == person_id)
        .order_by(ChangeEntry.detected_at, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    new_condition: Any = ChangeEntry.person == person_id
    if seen_up_to is not None:
        new_condition = new_condition & (ChangeEntry.detected_at > seen_up_to)
    new_count = await ChangeEntry.count().where(new_condition)
    entries = [
        Change(
            id=row["id"],
            source=row["source"],
            item=row["item"],
            change=row["change"],
            detected_at=as_utc(row["detected_at"]),
            facts=row["facts"] or {},
            is_new=seen_up_to is None or as_utc(row["detected_at"]) > seen_up_to,
        )
        for row in rows
    ]
    return Timeline(seen_up_to=seen_up_to, new_count=new_count, entries=entries)


async def mark_seen(person_id: uuid.UUID, up_to: datetime | None = None) -> datetime:
    """The person has seen their changes up to `up_to` (now if not given, never later than
    now); the marker never moves back. Returns the marker in force."""
    now = utcnow()
    moment = min(as_utc(up_to), now) if up_to is not None else now
    for _attempt in range(2):
        moved = await (
            Visit.update({Visit.seen_up_to: moment})
            .where((Visit.person == person_id) & (Visit.seen_up_to < moment))
            .returning(Visit.seen_up_to)
        )
        if moved:
            return moment
        row = await Visit.select(Visit.seen_up_to).where(Visit.person == person_id).first()
        if row is not None:
            return as_utc(row["seen_up_to"])
        try:
            async with db.unique_violation("visit exists"):
                await Visit.insert(Visit(person=person_id, seen_up_to=moment)).run()
            return moment
        except UniqueViolation:
            continue  # a concurrent first visit: move that one forward instead
    return moment
