"""openMessage: read a message; its first opening is the `opened` receipt and an audit entry."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.auth import audit
from backend.eaddress import service
from backend.eaddress.access import MailboxAction, Reader
from backend.graphql.context import Info
from backend.graphql.eaddress.mutations.results import run_in_mailbox
from backend.graphql.eaddress.scope import message_uuid
from backend.graphql.eaddress.types import MailMessage, build_message
from backend.graphql.permissions import IsAuthenticated
from backend.graphql.results import ForbiddenError, InvalidInput, NotFoundError, StepUpRequired


@strawberry.type
class MessageOpened:
    message: MailMessage
    first_opening: bool = strawberry.field(
        description="True when this call recorded the opening (once per message, by anyone)."
    )


OpenMessageResult = Annotated[
    MessageOpened | NotFoundError | ForbiddenError | InvalidInput | StepUpRequired,
    strawberry.union("OpenMessageResult"),
]


@strawberry.type
class OpenMessageMutation:
    @strawberry.mutation(
        description="The message with body, files and receipts. The first opening by anyone "
        "entitled (the holder, a representative, a delegate) is recorded: the institution sees "
        "it, and so does the company. Another mailbox's message is `NotFoundError`.",
        permission_classes=[IsAuthenticated],
    )
    async def open_message(
        self, info: Info, id: strawberry.ID, subject_id: strawberry.ID | None = None
    ) -> OpenMessageResult:
        access = info.context.services.eaddress.access

        async def run(reader: Reader) -> MessageOpened:
            opened = await service.open_message(reader, access, message_uuid(id))
            if opened.first_opening:
                # The data-access trail: who read the subject's mail, on which basis.
                await audit.record(
                    "eaddress_message_opened",
                    actor_id=reader.person_id,
                    subject_key=reader.subject_key,
                    object_id=str(opened.message.id),
                    detail={"as_delegate": opened.as_delegate},
                )
            return MessageOpened(
                message=await build_message(opened.message, opened.receipts),
                first_opening=opened.first_opening,
            )

        return await run_in_mailbox(
            info, subject_id, MailboxAction.VIEW, run, back_to=f"/mail/messages/{id}"
        )
