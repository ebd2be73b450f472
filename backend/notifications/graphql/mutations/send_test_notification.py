"""sendTestNotification: prove one channel works, all the way through the engine."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import AppError
from backend.notifications import service
from backend.notifications.graphql.types import ChannelEnum, invalid


@strawberry.type
class TestNotificationQueued:
    channel: ChannelEnum


SendTestNotificationResult = Annotated[
    TestNotificationQueued | InvalidInput, strawberry.union("SendTestNotificationResult")
]


@strawberry.type
class SendTestNotificationMutation:
    @strawberry.mutation(
        description="Codes `no_contact`, `unverified`, `no_device` (nothing to test yet) and "
        "`rate_limited`.",
        permission_classes=[IsAuthenticated],
    )
    async def send_test_notification(
        self, info: Info, channel: ChannelEnum
    ) -> SendTestNotificationResult:
        try:
            await service.send_test(
                info.context.services.notifications, viewer_of(info).person.id, channel.value
            )
        except AppError as exc:  # BadInput with the reason, or RateLimited
            return invalid(exc, "channel")
        return TestNotificationQueued(channel=channel)
