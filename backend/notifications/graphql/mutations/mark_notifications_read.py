"""markNotificationsRead: some of my in-app notifications, or all of them."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.notifications import service

MAX_IDS = 100


@strawberry.type
class NotificationsMarked:
    marked: int
    unread_count: int


MarkNotificationsReadResult = Annotated[
    NotificationsMarked | InvalidInput, strawberry.union("MarkNotificationsReadResult")
]


@strawberry.type
class MarkNotificationsReadMutation:
    @strawberry.mutation(
        description="Give `ids` (at most 100) or `all: true`. Ids of others' notifications "
        "mark nothing.",
        permission_classes=[IsAuthenticated],
    )
    async def mark_notifications_read(
        self, info: Info, ids: list[strawberry.ID] | None = None, all: bool = False
    ) -> MarkNotificationsReadResult:
        person = viewer_of(info).person.id
        if all == (ids is not None):
            return InvalidInput(message="Give either ids or all: true.", code="invalid_selection")
        chosen: list[uuid.UUID] | None = None
        if ids is not None:
            if len(ids) > MAX_IDS:
                return InvalidInput(
                    message=f"At most {MAX_IDS} at once.", code="invalid_selection", field="ids"
                )
            try:
                chosen = [uuid.UUID(str(i)) for i in ids]
            except ValueError:
                return InvalidInput(message="Unknown notification id.", code="invalid_id")
        marked = await service.mark_read(person, chosen)
        return NotificationsMarked(marked=marked, unread_count=await service.unread_count(person))
