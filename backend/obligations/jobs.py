"""The daily reminder run (`vienuviet worker`): every person known to us and every company they
may act for, once a day, in small batches that any number of workers share.

Progress is a row per subject and day in `obligations_sweep`. A worker claims a subject by
creating its row (or, for a retry, by moving its `next_attempt_at` forward) in one statement that
only one worker can win, so workers split the day's work; a claim that is never finished (a
crashed worker) lapses after `LEASE`. A subject whose registries did not all answer is tried
again later that day, with backoff; one that did is done until tomorrow. Even if two workers
evaluated the same subject, the unique reminder keys (reminders.py) send each step once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from backend.auth.people import PersonRecord, get_people
from backend.lib import db
from backend.lib.jobs import Job
from backend.lib.time import RIGA
from backend.obligations.access import obligation_subjects
from backend.obligations.reminders import send_due
from backend.obligations.rules.base import SkipReason
from backend.obligations.service import Obligations, SubjectRef, current
from backend.obligations.tables import Sweep

if TYPE_CHECKING:
    from backend.services import Services

log = logging.getLogger("vienuviet.obligations")

LEASE = timedelta(minutes=10)
RETRY_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 8
"""After this many incomplete tries in a day a subject waits for tomorrow."""


async def due_persons(day: date, now: datetime, limit: int) -> list[PersonRecord]:
    # Only constants and placeholders are joined; values are bound parameters. The one query
    # that names auth's table (by name, not its class): which people still need today's sweep.
    sql = (
        "SELECT id FROM auth_person p WHERE NOT EXISTS ("
        "SELECT 1 FROM obligations_sweep s WHERE s.subject_key = ('person:' || p.id) "
        "AND s.day = {} AND (s.done OR s.next_attempt_at > {})) ORDER BY p.id LIMIT {}"
    )
    ids = [row["id"] for row in await Sweep.raw(sql, day, now, limit).run()]
    return await get_people(ids) if ids else []


async def claim(subject_key: str, day: date, now: datetime, engine: Any) -> bool:
    """Take `subject_key` for today's run: True for exactly one of any number of workers."""
    async with db.transaction(engine):
        created = await (
            Sweep.insert(
                Sweep(subject_key=subject_key, day=day, done=False, next_attempt_at=now + LEASE)
            )
            .on_conflict(target=(Sweep.subject_key, Sweep.day), action="DO NOTHING")
            .returning(Sweep.id)
            .run()
        )
        if created:
            return True
        retried = await (
            Sweep.update({Sweep.next_attempt_at: now + LEASE})
            .where(
                (Sweep.subject_key == subject_key)
                & (Sweep.day == day)
                & (Sweep.done == False)  # noqa: E712 - a SQL expression, not a comparison
                & (Sweep.next_attempt_at <= now)
            )
            .returning(Sweep.id)
            .run()
        )
        return bool(retried)


async def _record_sweep(
    subject_key: str, day: date, now: datetime, complete: bool, engine: Any
) -> None:
    """Done for the day, or (a source failed) due again after a backoff. Finishes a claim; a
    sweep run without one (tests, a manual run) creates the row."""
    async with db.transaction(engine):
        row = await (
            Sweep.select(Sweep.id, Sweep.attempts)
            .where((Sweep.subject_key == subject_key) & (Sweep.day == day))
            .first()
            .run()
        )
        attempts = (row["attempts"] if row else 0) + 1
        done = complete or attempts >= MAX_ATTEMPTS
        retry_at = now + RETRY_AFTER * attempts
        if row is not None:
            await (
                Sweep.update(
                    {Sweep.done: done, Sweep.attempts: attempts, Sweep.next_attempt_at: retry_at}
                )
                .where(Sweep.id == row["id"])
                .run()
            )
            return
        await (
            Sweep.insert(
                Sweep(
                    subject_key=subject_key,
                    day=day,
                    done=done,
                    attempts=attempts,
                    next_attempt_at=retry_at,
                )
            )
            # A concurrent worker recorded it first: its record is as good as ours.
            .on_conflict(target=(Sweep.subject_key, Sweep.day), action="DO NOTHING")
            .run()
        )


async def remind_subject(
    obligations: Obligations, subject: SubjectRef, engine: Any
) -> tuple[int, bool]:
    """Send the reminders due today for one subject: (how many, whether every source answered)."""
    view = await current(obligations, subject)
    acknowledged = {occurrence for occurrence, mark in view.marks.items() if mark.acknowledged}
    sent = await send_due(view.obligations, view.today, obligations.rates, acknowledged, engine)
    complete = not any(
        note.reason is SkipReason.SOURCE_UNAVAILABLE for note in view.evaluation.skipped
    )
    return sent, complete


async def sweep_person(services: Services, person: PersonRecord, day: date, now: datetime) -> int:
    """One person and the companies they may act for; returns reminders sent. Never raises."""
    obligations, engine = services.obligations, services.engine
    sent = 0
    complete = True
    try:
        subjects, registry_down = await obligation_subjects(person, services.auth.representations)
        complete = not registry_down
        for subject in subjects:
            if subject.company_number is not None and not await claim(
                subject.key, day, now, engine
            ):
                # Done today, or another worker has it, or it waits for a retry: come back
                # later unless it is done.
                complete = complete and await _done(subject.key, day)
                continue
            count, answered = await remind_subject(obligations, subject, engine)
            sent += count
            if subject.company_number is not None:
                await _record_sweep(subject.key, day, now, answered, engine)
            else:
                complete = complete and answered
    except Exception as exc:  # one subject must not stop the day's run for everyone
        log.error("obligation sweep of a subject failed with %s", type(exc).__name__)
        complete = False
    await _record_sweep(person.subject_key, day, now, complete, engine)
    return sent


async def _done(subject_key: str, day: date) -> bool:
    row = await (
        Sweep.select(Sweep.done)
        .where((Sweep.subject_key == subject_key) & (Sweep.day == day))
        .first()
        .run()
    )
    return bool(row and row["done"])


KEEP_SWEEPS = timedelta(days=7)


async def daily_reminders(services: Services) -> int:
    """One batch of the day's run; returns how many persons were swept (0: nothing to do)."""
    obligations = services.obligations
    settings = services.settings.obligations
    now = obligations.clock()
    if now.astimezone(RIGA).hour < settings.sweep_from_hour:
        return 0  # reminders go out in the day, not at midnight
    day = obligations.today()
    persons = await due_persons(day, now, settings.sweep_batch)
    for person in persons:
        if await claim(person.subject_key, day, now, services.engine):
            await sweep_person(services, person, day, now)
    if not persons:
        await Sweep.delete().where(Sweep.day < day - KEEP_SWEEPS).run()
    return len(persons)


JOBS: list[Job[Services]] = [
    Job("obligations.daily_reminders", daily_reminders, idle_interval_s=300.0)
]
