"""notificationTopics: the topics institutions declared, and whether I subscribe to each."""

from __future__ import annotations

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.lib import i18n
from backend.notifications.institutions import topics


@strawberry.type(description="A topic an institution declared; people subscribe to it.")
class NotificationTopic:
    id: strawberry.ID
    institution: str
    name: str = strawberry.field(description="In the request's language.")
    category: str
    subscribed: bool


@strawberry.type
class NotificationTopicsQuery:
    @strawberry.field(
        description="Every institution's topics, with whether I subscribe to each.",
        permission_classes=[IsAuthenticated],
    )
    async def notification_topics(self, info: Info) -> list[NotificationTopic]:
        language = i18n.current_language.get()
        return [
            NotificationTopic(
                id=strawberry.ID(str(view.id)),
                institution=view.institution_name,
                name=view.name(language),
                category=view.category.value,
                subscribed=subscribed,
            )
            for view, subscribed in await topics.topics_for(viewer_of(info).person.id)
        ]
