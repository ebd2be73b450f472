"""removeContact: forget the e-mail address or phone number."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import NotFoundError
from backend.notifications import service
from backend.notifications.graphql.types import ContactKind


@strawberry.type
class ContactRemoved:
    kind: ContactKind


RemoveContactResult = Annotated[
    ContactRemoved | NotFoundError, strawberry.union("RemoveContactResult")
]


@strawberry.type
class RemoveContactMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_contact(self, info: Info, kind: ContactKind) -> RemoveContactResult:
        if await service.remove_contact(viewer_of(info).person.id, kind.value):
            return ContactRemoved(kind=kind)
        return NotFoundError(message="There is no such contact to remove.")
