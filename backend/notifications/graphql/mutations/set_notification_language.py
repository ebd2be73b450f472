"""setNotificationLanguage: the language notices are written in (lv, en, ru)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import BadInput
from backend.notifications import service
from backend.notifications.graphql.types import invalid


@strawberry.type
class NotificationLanguageSet:
    language: str


SetNotificationLanguageResult = Annotated[
    NotificationLanguageSet | InvalidInput, strawberry.union("SetNotificationLanguageResult")
]


@strawberry.type
class SetNotificationLanguageMutation:
    @strawberry.mutation(
        description="Code `invalid_language` for anything but lv, en or ru.",
        permission_classes=[IsAuthenticated],
    )
    async def set_notification_language(
        self, info: Info, language: str
    ) -> SetNotificationLanguageResult:
        try:
            choices = await service.update_choices(viewer_of(info).person.id, language=language)
        except BadInput as exc:
            return invalid(exc, "language")
        return NotificationLanguageSet(language=choices.language)
