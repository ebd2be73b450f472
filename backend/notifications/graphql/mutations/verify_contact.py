"""verifyContact: check the code the person received."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.graphql.results import InvalidInput, NotFoundError
from backend.lib.errors import BadInput, NotFound
from backend.notifications import service
from backend.notifications.graphql.types import ContactKind, ContactType, contact_type, invalid

VerifyContactResult = Annotated[
    ContactType | InvalidInput | NotFoundError, strawberry.union("VerifyContactResult")
]


@strawberry.type
class VerifyContactMutation:
    @strawberry.mutation(
        description="Codes `code_wrong`, `code_expired`, `code_exhausted`, `no_code`.",
        permission_classes=[IsAuthenticated],
    )
    async def verify_contact(self, info: Info, kind: ContactKind, code: str) -> VerifyContactResult:
        person = viewer_of(info).person.id
        try:
            view = await service.verify(
                info.context.services.notifications, person, kind.value, code
            )
        except NotFound as exc:
            return NotFoundError(message=exc.message)
        except BadInput as exc:
            return invalid(exc, "code")
        return await contact_type(person, view)
