"""Data for `bench push`: people with one subscription each (keys derived from the run's
seed, so the receiver process knows them), push-only notices, and the clean-up."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from backend.auth.tables import Person
from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.notifications.engine.decide import Decision, Route
from backend.notifications.engine.enqueue import Notice, enqueue_decided
from backend.notifications.model import Category, Channel
from backend.notifications.tables import Attempt, Outbox, PushSubscription
from backend.settings import Settings, parse_push_origins
from tests.push_receiver import derive_subscriber

CHUNK = 500
LOOPBACK = "http://127.0.0.1:*,https://127.0.0.1:*"


def loopback_settings(settings: Settings) -> Settings:
    """Development mode, with the receiver's loopback origin allowed explicitly (the
    production PUSH_ALLOWED_ORIGINS would refuse it, as it must)."""
    allowed = settings.push.allowed_origins + parse_push_origins(LOOPBACK, debug=True)
    return replace(
        settings,
        web=replace(settings.web, debug=True),
        push=replace(settings.push, allowed_origins=allowed),
    )


async def make_subscribers(origin: str, seed: bytes, count: int) -> list[uuid.UUID]:
    people = [uuid.uuid4() for _ in range(count)]
    run = uuid.uuid4().hex[:8]
    for start in range(0, count, CHUNK):
        chunk = people[start : start + CHUNK]
        async with transaction(Outbox._meta.db):
            await Person.insert(
                *(
                    Person(
                        id=person,
                        person_key=f"bench {run} {person}",
                        given_name="Bench",
                        family_name="Person",
                        locale="en",
                    )
                    for person in chunk
                )
            ).run()
            subs = []
            for offset, person in enumerate(chunk):
                sub = derive_subscriber(origin, seed, start + offset)
                subs.append(
                    PushSubscription(
                        id=uuid.uuid4(),
                        person=person,
                        endpoint=sub.endpoint,
                        p256dh=sub.p256dh,
                        auth=sub.auth_b64,
                        device_label="bench",
                    )
                )
            await PushSubscription.insert(*subs).run()
    return people


async def enqueue_push_only(rt: Any, people: list[uuid.UUID], *, tag: str) -> None:
    """One obligations reminder per person, push only (the engine's push path, measured)."""
    now = utcnow()
    decisions = {
        person: Decision(Category.OBLIGATIONS, (Route(Channel.PUSH, now),), {}) for person in people
    }
    notice = Notice(
        f"bench.{tag}:{uuid.uuid4()}",
        "obligations.reminder",
        "person:bench",
        {"title": "Annual income declaration", "due_on": "2027-06-01"},
        link="/obligations",
    )
    async with transaction(Outbox._meta.db):
        await enqueue_decided(notice, decisions, settings=rt.settings.notifications, now=now)


async def cleanup(people: list[uuid.UUID]) -> None:
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        rows = await Outbox.select(Outbox.id).where(Outbox.person.is_in(chunk)).run()
        ids = [row["id"] for row in rows]
        for id_chunk in range(0, len(ids), CHUNK):
            await (
                Attempt.delete().where(Attempt.outbox.is_in(ids[id_chunk : id_chunk + CHUNK])).run()
            )
        await Outbox.delete().where(Outbox.person.is_in(chunk)).run()
        await PushSubscription.delete().where(PushSubscription.person.is_in(chunk)).run()
        await Person.delete().where(Person.id.is_in(chunk)).run()
