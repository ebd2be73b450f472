"""setTopicSubscription: subscribe to a topic, or unsubscribe (delivery stops at once)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.notifications.graphql.types import invalid
from backend.notifications.institutions import topics


@strawberry.type
class TopicSubscriptionSet:
    topic_id: strawberry.ID
    subscribed: bool


SetTopicSubscriptionResult = Annotated[
    TopicSubscriptionSet | InvalidInput, strawberry.union("SetTopicSubscriptionResult")
]


@strawberry.type
class SetTopicSubscriptionMutation:
    @strawberry.mutation(
        description="Code `topic_not_found` for an id that is not a topic.",
        permission_classes=[IsAuthenticated],
    )
    async def set_topic_subscription(
        self, info: Info, topic_id: strawberry.ID, subscribed: bool
    ) -> SetTopicSubscriptionResult:
        try:
            topic = uuid.UUID(str(topic_id))
            await topics.set_subscription(viewer_of(info).person.id, topic, subscribed)
        except ValueError:
            return invalid(topics.TopicNotFound(), "topicId")
        except topics.TopicNotFound as exc:
            return invalid(exc, "topicId")
        return TopicSubscriptionSet(topic_id=topic_id, subscribed=subscribed)
