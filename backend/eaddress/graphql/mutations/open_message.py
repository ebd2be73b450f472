"""openMessage: read a message; its first opening is the `opened` receipt, an audit entry and
an entry in the subject's data-access log ("who looked at my data"), written together."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.auth import audit
from backend.dashboard import access_log
from backend.dashboard.subjects import OnBehalf
from backend.eaddress import service
from backend.eaddress.graphql.mutations.results import run_in_mailbox
from backend.eaddress.graphql.scope import message_uuid
from backend.eaddress.graphql.types import MailMessage, build_message
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.eaddress.storage.records import MessageRecord
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated
from backend.graphql.results import ForbiddenError, InvalidInput, NotFoundError, StepUpRequired


def _basis(reader: Reader, as_delegate: bool) -> OnBehalf:
    if as_delegate:
        return OnBehalf.DELEGATE
    return OnBehalf.SELF if reader.acts_for_self else OnBehalf.REPRESENTATIVE


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
            async def log(message: MessageRecord, as_delegate: bool) -> None:
                # In the receipt's transaction: a receipt without its log entries (or the
                # reverse) would tell the institution and the subject different stories.
                await audit.record(
                    "eaddress_message_opened",
                    actor_id=reader.person_id,
                    subject_key=reader.subject_key,
                    object_id=str(message.id),
                    detail={"as_delegate": as_delegate},
                )
                # What the subject sees: who opened, on which basis; never what.
                await access_log.record_opening(
                    reader.subject_key, reader.person_id, _basis(reader, as_delegate)
                )

            opened = await service.open_message(
                reader, access, message_uuid(id), on_first_opening=log
            )
            return MessageOpened(
                message=await build_message(opened.message, opened.receipts),
                first_opening=opened.first_opening,
            )

        return await run_in_mailbox(
            info, subject_id, MailboxAction.VIEW, run, back_to=f"/mail/messages/{id}"
        )
