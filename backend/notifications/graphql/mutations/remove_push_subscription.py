"""removePushSubscription: stop pushing to one of my devices."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import NotFoundError
from backend.notifications import service


@strawberry.type
class PushSubscriptionRemoved:
    id: strawberry.ID


RemovePushSubscriptionResult = Annotated[
    PushSubscriptionRemoved | NotFoundError, strawberry.union("RemovePushSubscriptionResult")
]

_NOT_FOUND = "There is no such device among yours."


@strawberry.type
class RemovePushSubscriptionMutation:
    @strawberry.mutation(
        description="Someone else's device is not found, like one that never existed.",
        permission_classes=[IsAuthenticated],
    )
    async def remove_push_subscription(
        self, info: Info, id: strawberry.ID
    ) -> RemovePushSubscriptionResult:
        try:
            device = uuid.UUID(str(id))
        except ValueError:
            return NotFoundError(message=_NOT_FOUND)
        if await service.remove_subscription(viewer_of(info).person.id, subscription_id=device):
            return PushSubscriptionRemoved(id=id)
        return NotFoundError(message=_NOT_FOUND)
