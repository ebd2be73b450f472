"""setContact: give or change the e-mail address or phone number (it starts unverified)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import BadInput
from backend.notifications import service
from backend.notifications.graphql.types import ContactKind, ContactType, contact_type, invalid

ContactResult = Annotated[ContactType | InvalidInput, strawberry.union("SetContactResult")]


@strawberry.type
class SetContactMutation:
    @strawberry.mutation(
        description="Codes `invalid_email`, `invalid_phone` (E.164, or 8 Latvian digits).",
        permission_classes=[IsAuthenticated],
    )
    async def set_contact(self, info: Info, kind: ContactKind, value: str) -> ContactResult:
        person = viewer_of(info).person.id
        try:
            view = await service.set_contact(person, kind.value, value)
        except BadInput as exc:
            return invalid(exc, "value")
        return await contact_type(person, view)
