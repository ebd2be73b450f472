"""setNotificationPreferences: switch cells of the categories × channels matrix of a subject."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import ForbiddenError, InvalidInput, StepUpRequired, refusal
from backend.lib.errors import BadInput, Forbidden
from backend.notifications import service
from backend.notifications.graphql.types import (
    CategoryEnum,
    ChannelEnum,
    NotificationPreference,
    invalid,
    subject_for,
)
from backend.notifications.model import MANDATORY, Category, Channel

MAX_CELLS = 40


@strawberry.input
class NotificationPreferenceInput:
    category: CategoryEnum
    channel: ChannelEnum
    enabled: bool


@strawberry.type(description="The subject's whole matrix after the change.")
class NotificationPreferencesSaved:
    subject_id: strawberry.ID
    preferences: list[NotificationPreference]


SetNotificationPreferencesResult = Annotated[
    NotificationPreferencesSaved | InvalidInput | ForbiddenError | StepUpRequired,
    strawberry.union("SetNotificationPreferencesResult"),
]


@strawberry.type
class SetNotificationPreferencesMutation:
    @strawberry.mutation(
        description="Switch some cells (all or nothing). `mandatory_channel` for switching "
        "off a locked cell; `forbidden` for a subject the viewer does not act for, "
        "`StepUpRequired` for a company behind a login weaker than acting for it needs.",
        permission_classes=[IsAuthenticated],
    )
    async def set_notification_preferences(
        self,
        info: Info,
        preferences: list[NotificationPreferenceInput],
        subject_id: strawberry.ID | None = None,
    ) -> SetNotificationPreferencesResult:
        person = viewer_of(info).person.id
        try:
            access = await subject_for(info, subject_id)
        except Forbidden as exc:
            return refusal(exc, "/settings/notifications")
        if not preferences or len(preferences) > MAX_CELLS:
            return InvalidInput(
                message=f"Send 1 to {MAX_CELLS} preferences.",
                code="invalid_preference",
                field="preferences",
            )
        for cell in preferences:  # refuse the whole change before writing any of it
            if (Category(cell.category.value), Channel(cell.channel.value)) in MANDATORY and (
                not cell.enabled
            ):
                return InvalidInput(
                    message="Notices of new official messages always appear in Vienuviet itself.",
                    code="mandatory_channel",
                    field="preferences",
                )
        try:
            for cell in preferences:
                await service.set_preference(
                    person, access.key, cell.category.value, cell.channel.value, cell.enabled
                )
        except BadInput as exc:
            return invalid(exc, "preferences")
        matrix = await service.preferences_matrix(person, access.key)
        return NotificationPreferencesSaved(
            subject_id=strawberry.ID(access.key),
            preferences=[
                NotificationPreference.build(category, channel, enabled)
                for category, channels in matrix.items()
                for channel, enabled in channels.items()
            ],
        )
