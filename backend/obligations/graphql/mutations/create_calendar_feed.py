"""createCalendarFeed: a private iCalendar URL for a subject; an earlier one stops working."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import ForbiddenError, StepUpRequired, refusal
from backend.lib.errors import Forbidden
from backend.obligations import feeds
from backend.obligations.graphql.types import CalendarFeed, resolve_subject


@strawberry.type
class CalendarFeedCreated:
    url: str = strawberry.field(description="Secret: shown once; anyone with it sees the feed.")
    feed: CalendarFeed


CreateCalendarFeedResult = Annotated[
    CalendarFeedCreated | ForbiddenError | StepUpRequired,
    strawberry.union("CreateCalendarFeedResult"),
]


@strawberry.type
class CreateCalendarFeedMutation:
    @strawberry.mutation(
        description="Make (or make anew) the viewer's feed of the acting-as subject or "
        "`subjectId`.",
        permission_classes=[IsAuthenticated],
    )
    async def create_calendar_feed(
        self, info: Info, subject_id: strawberry.ID | None = None
    ) -> CreateCalendarFeedResult:
        services = info.context.services
        try:
            _, subject = await resolve_subject(info, subject_id)
        except Forbidden as exc:
            return refusal(exc, "/obligations")
        token, made = await feeds.create(viewer_of(info).person, subject.key, services.engine)
        url = services.settings.web.public_url + feeds.FEED_PATH.format(token=token)
        return CalendarFeedCreated(
            url=url,
            feed=CalendarFeed(
                subject_id=strawberry.ID(made.subject_key), created_at=made.created_at
            ),
        )
