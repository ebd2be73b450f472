"""revokeCalendarFeed: the viewer's feed of a subject stops working at once."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.auth.assurance import StepUpNeeded, require_level
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import NotFoundError, StepUpRequired
from backend.lib.errors import NotFound
from backend.obligations import feeds


@strawberry.type
class CalendarFeedRevoked:
    subject_id: strawberry.ID


RevokeCalendarFeedResult = Annotated[
    CalendarFeedRevoked | NotFoundError | StepUpRequired,
    strawberry.union("RevokeCalendarFeedResult"),
]


@strawberry.type
class RevokeCalendarFeedMutation:
    @strawberry.mutation(
        description="Revoke the viewer's own feed of the acting-as subject or `subjectId` "
        "(possible also after losing the right to see that subject; a company's needs a login "
        "strong enough to act for it: `StepUpRequired`).",
        permission_classes=[IsAuthenticated],
    )
    async def revoke_calendar_feed(
        self, info: Info, subject_id: strawberry.ID | None = None
    ) -> RevokeCalendarFeedResult:
        viewer = viewer_of(info)
        key = str(subject_id) if subject_id else viewer.acting_as
        # Not `authorize`: the right to the subject may be gone (revoking stays possible), but
        # the login must still be strong enough for the subject (the company level).
        try:
            require_level(viewer.level, key, info.context.services.settings.auth)
        except StepUpNeeded as exc:
            return StepUpRequired.for_level(exc.level, "/obligations")
        try:
            await feeds.revoke(viewer.person, key, info.context.services.engine)
        except NotFound as exc:
            return NotFoundError(message=exc.message)
        return CalendarFeedRevoked(subject_id=strawberry.ID(key))
