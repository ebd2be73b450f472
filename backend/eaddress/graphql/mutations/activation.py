"""What activating and deactivating share: the holder's own mailbox, a strong enough login."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from backend.eaddress.graphql.scope import level_for
from backend.eaddress.graphql.types import Mailbox, build_mailbox
from backend.eaddress.mailbox.access import Reader
from backend.eaddress.mailbox.accounts import AccountInfo
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of
from backend.graphql.results import ForbiddenError, InvalidInput, StepUpRequired
from backend.lib.errors import AppError, Forbidden


@strawberry.type
class EaddressChanged:
    mailbox: Mailbox


EaddressChangeResult = Annotated[
    EaddressChanged | InvalidInput | ForbiddenError | StepUpRequired,
    strawberry.union("EaddressChangeResult"),
]


async def change(
    info: Info, operation: Callable[[Reader], Awaitable[AccountInfo]]
) -> EaddressChangeResult:
    viewer = viewer_of(info)
    reader = Reader.own(viewer.person.id)
    needed = level_for(info.context.services, reader.subject_key)
    if viewer.level < needed:
        return StepUpRequired.for_level(needed, "/mail")
    try:
        await operation(reader)
    except Forbidden as exc:
        return ForbiddenError(message=exc.message)
    except AppError as exc:  # too_young, no_identity, address_taken
        return InvalidInput(message=exc.message, code=exc.code)
    return EaddressChanged(mailbox=await build_mailbox(info, reader))
