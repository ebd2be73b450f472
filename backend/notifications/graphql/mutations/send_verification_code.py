"""sendVerificationCode: a fresh code through the contact point itself."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput, NotFoundError
from backend.lib.errors import AppError, NotFound
from backend.notifications import service
from backend.notifications.graphql.types import ContactKind, ContactType, contact_type, invalid

SendVerificationCodeResult = Annotated[
    ContactType | InvalidInput | NotFoundError, strawberry.union("SendVerificationCodeResult")
]


@strawberry.type
class SendVerificationCodeMutation:
    @strawberry.mutation(
        description="Codes `rate_limited` (too many codes asked for), `delivery_unavailable` "
        "(the channel did not take it); `NotFoundError` when there is no such contact.",
        permission_classes=[IsAuthenticated],
    )
    async def send_verification_code(
        self, info: Info, kind: ContactKind
    ) -> SendVerificationCodeResult:
        person = viewer_of(info).person.id
        try:
            view = await service.send_code(info.context.services.notifications, person, kind.value)
        except NotFound as exc:
            return NotFoundError(message=exc.message)
        except AppError as exc:  # RateLimited, DeliveryUnavailable
            return invalid(exc)
        return await contact_type(person, view)
