"""Topics: an institution declares them ("road closures in Riga"), people subscribe and
unsubscribe in their settings, and a notice to a topic reaches its subscribers only — as a
bulk job over the subscribers of the moment it was sent. Unsubscribing stops delivery at
once: items not yet sent are skipped, and queued outbox rows of the topic's notices end.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from backend.eaddress.institution_api.institutions import institution_name
from backend.lib.db import transaction
from backend.lib.errors import NotFound, Unprocessable
from backend.lib.time import utcnow
from backend.notifications.institutions import templates
from backend.notifications.model import LANGUAGES, Category
from backend.notifications.tables import Outbox, Topic, TopicSubscription

MAX_NAME = 120


class TopicNotFound(NotFound):
    code = "topic_not_found"

    def __init__(self) -> None:
        super().__init__("No such topic.")


@dataclass(frozen=True)
class TopicView:
    id: uuid.UUID
    topic_id: str
    institution_name: str
    category: Category
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["lv"]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _view(row: dict[str, Any]) -> TopicView:
    names = row["names"]
    if isinstance(names, str):
        names = json.loads(names)
    return TopicView(
        _uuid(row["id"]), row["topic_id"], row["institution_name"], Category(row["category"]), names
    )


def _validate(body: Any) -> tuple[str, Category, dict[str, str]]:
    if not isinstance(body, dict) or not set(body) <= {"id", "category", "names"}:
        raise Unprocessable('A topic is {"id", "category", "names": {lv, en, ru}}.',
                            code="invalid_topic")  # fmt: skip
    if body.get("category") == Category.EADDRESS.value:
        raise templates.LegalNotAllowed()
    topic_id, category, names = body.get("id"), body.get("category"), body.get("names")
    if not isinstance(topic_id, str) or not templates.TEMPLATE_ID.fullmatch(topic_id):
        raise Unprocessable("`id`: 1-64 lower-case letters, digits and '-'.", code="invalid_topic")
    if not isinstance(category, str) or category not in {c.value for c in templates.CATEGORIES}:
        raise Unprocessable(
            f"`category`: one of {', '.join(c.value for c in templates.CATEGORIES)}.",
            code="invalid_topic",
        )
    if (
        not isinstance(names, dict)
        or set(names) != set(LANGUAGES)
        or not all(
            isinstance(v, str) and v.strip() and len(v) <= MAX_NAME and v.isprintable()
            for v in names.values()
        )
    ):
        raise Unprocessable(
            f"`names`: a name in lv, en and ru, each 1-{MAX_NAME} characters.",
            code="invalid_topic",
        )
    return topic_id, Category(category), {lang: names[lang].strip() for lang in LANGUAGES}


async def declare(institution_id: uuid.UUID, body: Any) -> tuple[dict[str, Any], bool]:
    """Create a topic (True) or update its names and category (False)."""
    topic_id, category, names = _validate(body)
    sender = await institution_name(institution_id)
    async with transaction(Topic._meta.db):
        existing = (
            await Topic.select(Topic.id)
            .where((Topic.institution == institution_id) & (Topic.topic_id == topic_id))
            .first()
            .run()
        )
        if existing is None:
            await Topic.insert(
                Topic(id=uuid.uuid4(), institution=institution_id, topic_id=topic_id,
                      category=category.value, names=names,
                      institution_name=sender, created_at=utcnow())
            ).run()  # fmt: skip
        else:
            await (
                Topic.update({Topic.category: category.value, Topic.names: names})
                .where(Topic.id == existing["id"])
                .run()
            )
    return (await own_topic(institution_id, topic_id)), existing is None


async def _own_row(institution_id: uuid.UUID, topic_id: str) -> dict[str, Any]:
    row = (
        await Topic.select()
        .where((Topic.institution == institution_id) & (Topic.topic_id == topic_id))
        .first()
        .run()
    )
    if row is None:
        raise TopicNotFound()
    return dict(row)


async def own_topic(institution_id: uuid.UUID, topic_id: str) -> dict[str, Any]:
    """The institution's view of its topic: names, category and how many subscribe."""
    row = await _own_row(institution_id, topic_id)
    count = await TopicSubscription.count().where(TopicSubscription.topic == row["id"]).run()
    view = _view(row)
    return {"id": view.topic_id, "category": view.category.value, "names": view.names,
            "subscribers": count}  # fmt: skip


async def own_topics(institution_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = (
        await Topic.select(Topic.topic_id)
        .where(Topic.institution == institution_id)
        .order_by(Topic.topic_id)
        .run()
    )
    return [await own_topic(institution_id, r["topic_id"]) for r in rows]


async def subscribers(institution_id: uuid.UUID, topic_id: str) -> tuple[uuid.UUID, list[str]]:
    """The topic's id and its subscribers now (person ids as text), for a bulk job."""
    row = await _own_row(institution_id, topic_id)
    people = (
        await TopicSubscription.select(TopicSubscription.person)
        .where(TopicSubscription.topic == row["id"])
        .order_by(TopicSubscription.created_at)
        .run()
    )
    return _uuid(row["id"]), [str(p["person"]) for p in people]


async def is_subscribed(person: uuid.UUID, topic: uuid.UUID) -> bool:
    return bool(
        await TopicSubscription.exists()
        .where((TopicSubscription.person == person) & (TopicSubscription.topic == topic))
        .run()
    )


async def topics_for(person: uuid.UUID) -> list[tuple[TopicView, bool]]:
    """Every topic, with whether `person` subscribes to it (what the settings page lists)."""
    rows = await Topic.select().order_by(Topic.institution_name).order_by(Topic.topic_id).run()
    mine = {
        str(r["topic"])
        for r in await TopicSubscription.select(TopicSubscription.topic)
        .where(TopicSubscription.person == person)
        .run()
    }
    return [(_view(row), str(row["id"]) in mine) for row in rows]


async def set_subscription(person: uuid.UUID, topic: uuid.UUID, subscribed: bool) -> None:
    """Subscribe or unsubscribe; unsubscribing also ends the topic's notices still queued for
    this person, so nothing more of it arrives."""
    if not await Topic.exists().where(Topic.id == topic).run():
        raise TopicNotFound()
    async with transaction(Topic._meta.db):
        if subscribed:
            await (
                TopicSubscription.insert(
                    TopicSubscription(
                        id=uuid.uuid4(), person=person, topic=topic, created_at=utcnow()
                    )
                )
                .on_conflict(
                    target=(TopicSubscription.topic, TopicSubscription.person), action="DO NOTHING"
                )
                .run()
            )
            return
        await (
            TopicSubscription.delete()
            .where((TopicSubscription.person == person) & (TopicSubscription.topic == topic))
            .run()
        )
        # Its notices still waiting (quiet hours, retries) end now; a subquery, not a list:
        # a topic may have had thousands of notices.
        await Outbox.raw(
            "UPDATE notify_outbox SET status = 'skipped', outcome = 'unsubscribed', "
            "finished_at = {} WHERE person = {} AND status = 'pending' AND event_key IN "
            "(SELECT event_key FROM notify_institution_notice WHERE topic = {})",
            utcnow(),
            person,
            topic,
        ).run()
