"""Consent per source per person: which registries feed the person's dashboard and the
features built on it (reminders, personalisation).

The default is granted (the dashboard is why people come); the person may withdraw any source
and grant it again. Every decision is a new row, so the history is kept with its timestamps.
Withdrawing stops every read of that source for the person (status `withheld`) and purges what
we hold from it: the cached answer, the fingerprints and the changes found in it. The
data-access log stays: it records our reads, and the person keeps the right to see them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.dashboard.cache import SourceCache
from backend.dashboard.sources import PERSON_SOURCES
from backend.dashboard.tables import ChangeEntry, SeenState, SourceConsent
from backend.dashboard.versions import SubjectVersions
from backend.lib import db
from backend.lib.errors import BadInput
from backend.lib.time import as_utc, utcnow


@dataclass(frozen=True)
class ConsentState:
    source: str
    granted: bool
    changed_at: datetime | None
    """When the person last decided; None: never, the default (granted) applies."""


@dataclass(frozen=True)
class ConsentDecision:
    source: str
    granted: bool
    at: datetime


async def history(person_id: uuid.UUID) -> list[ConsentDecision]:
    """Every decision of the person, oldest first."""
    rows = await (
        SourceConsent.select(SourceConsent.source, SourceConsent.granted, SourceConsent.at)
        .where(SourceConsent.person == person_id)
        .order_by(SourceConsent.at)
        .order_by(SourceConsent.id)
    )
    return [ConsentDecision(row["source"], bool(row["granted"]), as_utc(row["at"])) for row in rows]


def fold(decisions: list[ConsentDecision]) -> dict[str, ConsentState]:
    """The state in force per person source: the latest decision, or the default."""
    states = {name: ConsentState(name, True, None) for name in PERSON_SOURCES}
    for decision in decisions:
        if decision.source in states:
            states[decision.source] = ConsentState(decision.source, decision.granted, decision.at)
    return states


async def current(person_id: uuid.UUID) -> dict[str, ConsentState]:
    return fold(await history(person_id))


async def set_consent(
    engine: Any,
    cache: SourceCache,
    versions: SubjectVersions,
    person_id: uuid.UUID,
    source: str,
    *,
    granted: bool,
) -> ConsentState:
    """Record the person's decision; withdrawing purges what we hold from that source."""
    if source not in PERSON_SOURCES:
        raise BadInput("No such source.", code="invalid_source")
    now = utcnow()
    async with db.transaction(engine):
        state = (await current(person_id))[source]
        if state.granted == granted:
            return state  # the decision in force already: nothing new to record
        await SourceConsent.insert(
            SourceConsent(person=person_id, source=source, granted=granted, at=now)
        ).run()
        if not granted:
            await SeenState.delete().where(
                (SeenState.person == person_id) & (SeenState.source == source)
            )
            await ChangeEntry.delete().where(
                (ChangeEntry.person == person_id) & (ChangeEntry.source == source)
            )
    subject_key = f"person:{person_id}"
    if not granted:
        await cache.purge(source, subject_key)
    await versions.bump(subject_key)  # the source's status (and data) shown changes
    return ConsentState(source, granted, now)
