"""archiveMessage: move a message to the archive folder or back."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.eaddress import service
from backend.eaddress.graphql.mutations.results import run_in_mailbox
from backend.eaddress.graphql.scope import message_uuid
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated
from backend.graphql.results import ForbiddenError, InvalidInput, NotFoundError, StepUpRequired


@strawberry.type
class MessageArchived:
    id: strawberry.ID
    archived: bool


ArchiveMessageResult = Annotated[
    MessageArchived | NotFoundError | ForbiddenError | InvalidInput | StepUpRequired,
    strawberry.union("ArchiveMessageResult"),
]


@strawberry.type
class ArchiveMessageMutation:
    @strawberry.mutation(
        description="Archive (`archived: true`) or move back to its folder; idempotent. The "
        "message itself never changes.",
        permission_classes=[IsAuthenticated],
    )
    async def archive_message(
        self,
        info: Info,
        id: strawberry.ID,
        archived: bool = True,
        subject_id: strawberry.ID | None = None,
    ) -> ArchiveMessageResult:
        access = info.context.services.eaddress.access

        async def run(reader: Reader) -> MessageArchived:
            message_id = message_uuid(id)
            await service.set_archived(reader, access, message_id, archived)
            return MessageArchived(id=strawberry.ID(str(message_id)), archived=archived)

        return await run_in_mailbox(info, subject_id, MailboxAction.SEND, run)
