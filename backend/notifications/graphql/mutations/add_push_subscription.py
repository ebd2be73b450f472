"""addPushSubscription: this browser's PushSubscription, as `toJSON()` gives it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import BadInput
from backend.notifications import service
from backend.notifications.graphql.types import DeviceType, invalid
from backend.notifications.preferences.devices import SubscriptionTaken


@strawberry.input
class PushSubscriptionInput:
    endpoint: str
    p256dh: str = strawberry.field(description="keys.p256dh, base64url")
    auth: str = strawberry.field(description="keys.auth, base64url")
    label: str = ""


AddPushSubscriptionResult = Annotated[
    DeviceType | InvalidInput, strawberry.union("AddPushSubscriptionResult")
]


@strawberry.type
class AddPushSubscriptionMutation:
    @strawberry.mutation(
        description="Codes `invalid_subscription` (bad key or secret, or the endpoint is "
        "not a push service this site sends to), `insecure_endpoint` (http://) and "
        "`subscription_taken` (the endpoint is another person's device and `auth` is not "
        "its secret).",
        permission_classes=[IsAuthenticated],
    )
    async def add_push_subscription(
        self, info: Info, input: PushSubscriptionInput
    ) -> AddPushSubscriptionResult:
        try:
            view = await service.add_subscription(
                viewer_of(info).person.id,
                endpoint=input.endpoint,
                p256dh=input.p256dh,
                auth=input.auth,
                device_label=input.label,
                policy=info.context.services.notifications.push_policy,
            )
        except (BadInput, SubscriptionTaken) as exc:
            return invalid(exc, "endpoint")
        return DeviceType.build(view)
