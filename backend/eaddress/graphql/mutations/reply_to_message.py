"""replyToMessage: answer the institution in the message's thread."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.eaddress import service
from backend.eaddress.graphql.mutations.results import run_in_mailbox
from backend.eaddress.graphql.scope import message_uuid
from backend.eaddress.graphql.types import MailMessage, build_message
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated
from backend.graphql.results import ForbiddenError, InvalidInput, NotFoundError, StepUpRequired


@strawberry.type
class ReplySent:
    reply: MailMessage


ReplyToMessageResult = Annotated[
    ReplySent | NotFoundError | ForbiddenError | InvalidInput | StepUpRequired,
    strawberry.union("ReplyToMessageResult"),
]


@strawberry.type
class ReplyToMessageMutation:
    @strawberry.mutation(
        description="Send `body` (plain text) to the institution as a reply; it appears in the "
        "sent folder and in the institution's replies. Needs `send_mail` for a company. "
        "Code `invalid_message` for an empty or too long body.",
        permission_classes=[IsAuthenticated],
    )
    async def reply_to_message(
        self,
        info: Info,
        id: strawberry.ID,
        body: str,
        subject_id: strawberry.ID | None = None,
    ) -> ReplyToMessageResult:
        services = info.context.services
        access = services.eaddress.access

        async def run(reader: Reader) -> ReplySent:
            message_id = message_uuid(id)
            reply_id = await service.reply(
                reader, access, message_id, body, services.eaddress.settings
            )
            record, chain = await service.view_message(reader, access, reply_id)
            return ReplySent(reply=await build_message(record, chain))

        return await run_in_mailbox(
            info, subject_id, MailboxAction.SEND, run, back_to=f"/mail/messages/{id}"
        )
