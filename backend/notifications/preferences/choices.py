"""Preferences: per person, per subject (myself, each company I act for), per category and
channel; quiet hours; language. Only choices that differ from the defaults are stored.

These functions trust their `subject_key`: the caller (GraphQL) checks with
`backend.auth.subjects.require` that the person may act for that subject.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.auth.people import get_people
from backend.lib.errors import BadInput
from backend.lib.time import utcnow
from backend.notifications.engine.decide import (
    ContactState,
    DeviceState,
    PreviewLine,
    QuietHours,
    Reach,
    preview,
)
from backend.notifications.model import (
    CHANNELS,
    LANGUAGES,
    MANDATORY,
    USER_CATEGORIES,
    Category,
    Channel,
)
from backend.notifications.tables import (
    ContactPoint,
    PersonSettings,
    Preference,
    PushSubscription,
)

CHUNK = 1000
"""Persons per IN (...) query: well under either engine's parameter limit."""


@dataclass(frozen=True)
class PersonChoices:
    language: str
    quiet: QuietHours


def _chunks(ids: Sequence[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def person_choices(person_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PersonChoices]:
    """Language and quiet hours per person (stored, or the person's locale and defaults)."""
    found: dict[uuid.UUID, PersonChoices] = {}
    for chunk in _chunks(person_ids):
        for person in await get_people(chunk):
            locale = person.locale if person.locale in LANGUAGES else "lv"
            found[person.id] = PersonChoices(locale, QuietHours())
        rows = await PersonSettings.select().where(PersonSettings.person.is_in(chunk)).run()
        for row in rows:
            found[_uuid(row["person"])] = PersonChoices(
                row["language"],
                QuietHours(
                    enabled=bool(row["quiet_enabled"]),
                    start_min=row["quiet_start_min"],
                    end_min=row["quiet_end_min"],
                    legal_bypass=bool(row["legal_bypass_quiet"]),
                ),
            )
    return found


def _minutes(value: int | None, name: str, current: int) -> int:
    if value is None:
        return current
    if not 0 <= value < 24 * 60:
        raise BadInput(f"{name} must be a time of day (0..1439 minutes).", code="invalid_time")
    return value


async def update_choices(
    person_id: uuid.UUID,
    *,
    language: str | None = None,
    quiet_enabled: bool | None = None,
    quiet_start_min: int | None = None,
    quiet_end_min: int | None = None,
    legal_bypass_quiet: bool | None = None,
) -> PersonChoices:
    """Change some of a person's choices; the rest stay as they were."""
    if language is not None and language not in LANGUAGES:
        raise BadInput("Language must be lv, en or ru.", code="invalid_language")
    current = (await person_choices([person_id])).get(person_id)
    if current is None:
        raise BadInput("Unknown person.", code="unknown_person")
    quiet = current.quiet
    chosen = PersonSettings(
        person=person_id,
        language=language or current.language,
        quiet_enabled=quiet.enabled if quiet_enabled is None else quiet_enabled,
        quiet_start_min=_minutes(quiet_start_min, "Quiet hours start", quiet.start_min),
        quiet_end_min=_minutes(quiet_end_min, "Quiet hours end", quiet.end_min),
        legal_bypass_quiet=quiet.legal_bypass if legal_bypass_quiet is None else legal_bypass_quiet,
        updated_at=utcnow(),
    )
    columns = [
        PersonSettings.language,
        PersonSettings.quiet_enabled,
        PersonSettings.quiet_start_min,
        PersonSettings.quiet_end_min,
        PersonSettings.legal_bypass_quiet,
        PersonSettings.updated_at,
    ]
    await (
        PersonSettings.insert(chosen)
        .on_conflict(target=PersonSettings.person, action="DO UPDATE", values=columns)
        .run()
    )
    return (await person_choices([person_id]))[person_id]


def _check_pair(category: str, channel: str) -> tuple[Category, Channel]:
    try:
        cat, chan = Category(category), Channel(channel)
    except ValueError:
        raise BadInput("Unknown category or channel.", code="invalid_preference") from None
    if cat not in USER_CATEGORIES:
        raise BadInput("That category has no preference.", code="invalid_preference")
    return cat, chan


async def set_preference(
    person_id: uuid.UUID, subject_key: str, category: str, channel: str, enabled: bool
) -> None:
    cat, chan = _check_pair(category, channel)
    if (cat, chan) in MANDATORY and not enabled:
        raise BadInput(
            "Notices of new official messages always appear in Vienuviet itself.",
            code="mandatory_channel",
        )
    row = Preference(
        person=person_id,
        subject_key=subject_key,
        category=cat.value,
        channel=chan.value,
        enabled=enabled,
        updated_at=utcnow(),
    )
    await (
        Preference.insert(row)
        .on_conflict(
            target=(
                Preference.person,
                Preference.subject_key,
                Preference.category,
                Preference.channel,
            ),
            action="DO UPDATE",
            values=[Preference.enabled, Preference.updated_at],
        )
        .run()
    )


async def overrides(
    person_ids: Sequence[uuid.UUID], subject_key: str
) -> dict[uuid.UUID, dict[tuple[Category, Channel], bool]]:
    found: dict[uuid.UUID, dict[tuple[Category, Channel], bool]] = {}
    for chunk in _chunks(person_ids):
        rows = await (
            Preference.select(
                Preference.person, Preference.category, Preference.channel, Preference.enabled
            )
            .where(Preference.person.is_in(chunk) & (Preference.subject_key == subject_key))
            .run()
        )
        for row in rows:
            key = (Category(row["category"]), Channel(row["channel"]))
            found.setdefault(_uuid(row["person"]), {})[key] = bool(row["enabled"])
    return found


async def reach_for(
    person_ids: Sequence[uuid.UUID],
    subject_key: str,
    choices: Mapping[uuid.UUID, PersonChoices] | None = None,
) -> dict[uuid.UUID, Reach]:
    """Everything `decide` needs, for many persons at once (a handful of queries)."""
    ids = list(dict.fromkeys(person_ids))
    if choices is None:
        choices = await person_choices(ids)
    prefs = await overrides(ids, subject_key)
    emails: dict[uuid.UUID, ContactState] = {}
    phones: dict[uuid.UUID, ContactState] = {}
    devices: dict[uuid.UUID, list[DeviceState]] = {}
    for chunk in _chunks(ids):
        for row in await (
            ContactPoint.select(
                ContactPoint.id,
                ContactPoint.person,
                ContactPoint.kind,
                ContactPoint.verified_at,
                ContactPoint.unhealthy_since,
            )
            .where(ContactPoint.person.is_in(chunk))
            .run()
        ):
            state = ContactState(
                _uuid(row["id"]),
                verified=row["verified_at"] is not None,
                healthy=row["unhealthy_since"] is None,
            )
            (emails if row["kind"] == "email" else phones)[_uuid(row["person"])] = state
        for row in await (
            PushSubscription.select(
                PushSubscription.id, PushSubscription.person, PushSubscription.unhealthy_since
            )
            .where(PushSubscription.person.is_in(chunk))
            .run()
        ):
            devices.setdefault(_uuid(row["person"]), []).append(
                DeviceState(_uuid(row["id"]), healthy=row["unhealthy_since"] is None)
            )
    return {
        person: Reach(
            enabled=prefs.get(person, {}),
            quiet=choices[person].quiet,
            email=emails.get(person),
            phone=phones.get(person),
            devices=tuple(devices.get(person, ())),
        )
        for person in ids
        if person in choices  # unknown ids (deleted people) get nothing
    }


async def preferences_matrix(person_id: uuid.UUID, subject_key: str) -> dict[str, dict[str, bool]]:
    """category → channel → on/off, defaults filled in: what a settings page shows."""
    reach = (await reach_for([person_id], subject_key)).get(person_id, Reach())
    return {
        category.value: {channel.value: reach.wants(category, channel) for channel in CHANNELS}
        for category in USER_CATEGORIES
    }


async def preview_for(
    person_id: uuid.UUID, subject_keys: Sequence[str], now: datetime | None = None
) -> list[PreviewLine]:
    """ "What would reach me where": the same decision the engine makes, for each subject the
    person acts for (the caller lists them, e.g. from `subjects_for`) and each category."""
    subjects: Mapping[str, Reach] = {
        key: (await reach_for([person_id], key)).get(person_id, Reach()) for key in subject_keys
    }
    return preview(subjects, now or utcnow())
