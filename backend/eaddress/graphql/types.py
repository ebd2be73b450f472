"""GraphQL types of the e-address mailbox: the mailbox, its folders and messages, receipts."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from urllib.parse import quote

import strawberry

from backend.auth.people import person_names
from backend.eaddress import service
from backend.eaddress.graphql.scope import message_uuid, public_not_found
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.eaddress.mailbox.accounts import AccountInfo
from backend.eaddress.mailbox.folders import Folder, MessageSummary
from backend.eaddress.paging import Page
from backend.eaddress.storage.content import sanitise_html
from backend.eaddress.storage.receipts import ReceiptChain
from backend.eaddress.storage.records import AttachmentInfo, MessageRecord
from backend.graphql.context import Info
from backend.lib.errors import AppError

DEFAULT_PAGE = 20

strawberry.enum(Folder, name="MailFolder", description="Inbox, sent replies, or the archive.")


@strawberry.enum(description="From an institution to the holder, or the holder's reply.")
class MessageDirection(Enum):
    FROM_INSTITUTION = "in"
    REPLY = "out"


@strawberry.enum(description="A link of the receipt chain.")
class ReceiptKind(Enum):
    SENT = "sent"
    AVAILABLE = "available"
    NOTIFIED = "notified"
    OPENED = "opened"


@strawberry.type(description="The institution on the other side of a message.")
class MailInstitution:
    id: strawberry.ID
    name: str
    registration_number: str | None


@strawberry.type(description="One message in a folder or a search result.")
class MailMessageSummary:
    id: strawberry.ID
    thread_id: strawberry.ID
    direction: MessageDirection
    subject: str
    institution: MailInstitution
    sent_at: datetime
    deemed_delivered_on: date | None
    unread: bool
    has_attachments: bool
    attachment_count: int
    archived: bool

    @classmethod
    def of(cls, item: MessageSummary) -> MailMessageSummary:
        return cls(
            id=strawberry.ID(str(item.id)),
            thread_id=strawberry.ID(str(item.thread_id)),
            direction=MessageDirection(item.direction),
            subject=item.subject,
            institution=MailInstitution(
                id=strawberry.ID(str(item.institution_id)),
                name=item.institution_name,
                registration_number=None,
            ),
            sent_at=item.sent_at,
            deemed_delivered_on=item.deemed_delivered_on,
            unread=item.unread,
            has_attachments=item.attachment_count > 0,
            attachment_count=item.attachment_count,
            archived=item.archived,
        )


@strawberry.type(description="A page of messages, newest first (keyset pagination).")
class MailMessagePage:
    items: list[MailMessageSummary]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next (older) page; null on the last page."
    )

    @classmethod
    def of(cls, page: Page[MessageSummary]) -> MailMessagePage:
        return cls(
            items=[MailMessageSummary.of(i) for i in page.items], next_cursor=page.next_cursor
        )


@strawberry.type(description="A file attached to a message.")
class MailAttachment:
    id: strawberry.ID
    filename: str
    content_type: str
    size: int
    sha256: str
    download_url: str = strawberry.field(description="Streamed to the logged-in reader only.")

    @classmethod
    def of(cls, info: AttachmentInfo, subject_key: str) -> MailAttachment:
        return cls(
            id=strawberry.ID(str(info.id)),
            filename=info.filename,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            download_url=f"/mail/attachments/{info.id}?subject={quote(subject_key)}",
        )


@strawberry.type(description="One link of the receipt chain.")
class MailReceipt:
    kind: ReceiptKind
    at: datetime
    channel: str | None = strawberry.field(description="For `NOTIFIED`: email, sms, webpush…")
    by_name: str | None = strawberry.field(description="For `OPENED`: who opened it.")
    as_delegate: bool = strawberry.field(description="For `OPENED`: under a delegation.")


@strawberry.type(description="A message with its body, files and receipt chain.")
class MailMessage:
    id: strawberry.ID
    thread_id: strawberry.ID
    in_reply_to: strawberry.ID | None
    direction: MessageDirection
    subject: str
    institution: MailInstitution
    sent_at: datetime
    deemed_delivered_on: date | None
    body_text: str
    body_html: str | None = strawberry.field(
        description="Only when the institution sent HTML: sanitised (an allow-list of tags)."
    )
    author_name: str | None = strawberry.field(description="For a reply: who wrote it.")
    author_as_delegate: bool
    archived: bool
    content_sha256: str
    attachments: list[MailAttachment]
    receipts: list[MailReceipt]
    proof_url: str = strawberry.field(
        description="The receipt chain as a signed JWS; `.json` for the JSON envelope."
    )


async def build_message(record: MessageRecord, chain: ReceiptChain) -> MailMessage:
    names = await person_names(
        [record.author_person_id, *(e.actor_person_id for e in chain.entries)]
    )
    subject = record.account_subject_key
    return MailMessage(
        id=strawberry.ID(str(record.id)),
        thread_id=strawberry.ID(str(record.thread_id)),
        in_reply_to=strawberry.ID(str(record.in_reply_to)) if record.in_reply_to else None,
        direction=MessageDirection(record.direction),
        subject=record.subject,
        institution=MailInstitution(
            id=strawberry.ID(str(record.institution_id)),
            name=record.institution_name,
            registration_number=record.institution_registration_number,
        ),
        sent_at=record.sent_at,
        deemed_delivered_on=record.deemed_delivered_on,
        body_text=record.body_text,
        # Sanitised on intake; cleaned again here so a row written another way cannot inject.
        body_html=sanitise_html(record.body_html) if record.body_html else None,
        author_name=names.get(record.author_person_id) if record.author_person_id else None,
        author_as_delegate=record.author_as_delegate,
        archived=await service.is_archived(record.id),
        content_sha256=record.content_sha256,
        attachments=[MailAttachment.of(a, subject) for a in record.attachments],
        receipts=[
            MailReceipt(
                kind=ReceiptKind(e.kind),
                at=e.at,
                channel=e.channel,
                by_name=names.get(e.actor_person_id) if e.actor_person_id else None,
                as_delegate=e.as_delegate,
            )
            for e in chain.entries
        ],
        proof_url=f"/mail/messages/{record.id}/proof.jws?subject={quote(subject)}",
    )


@strawberry.type(description="Unopened messages from institutions per folder.")
class MailUnreadCounts:
    inbox: int
    sent: int = strawberry.field(description="Always 0: replies are never unread.")
    archive: int


@strawberry.type(description="A person's or company's e-address mailbox.")
class Mailbox:
    reader: strawberry.Private[Reader]
    account: strawberry.Private[AccountInfo | None]
    subject_id: strawberry.ID
    address: str | None = strawberry.field(description="Null when it was never activated.")
    active: bool
    is_company: bool
    activated_at: datetime | None
    deactivated_at: datetime | None
    can_activate: bool = strawberry.field(
        description="A person's own e-address that is not active (a company's always is)."
    )
    can_deactivate: bool = strawberry.field(
        description="A person's own active e-address (a company's is mandatory)."
    )
    can_reply: bool = strawberry.field(description="The viewer may answer and archive here.")

    @strawberry.field(description="Unopened messages per folder.")
    async def unread(self, info: Info) -> MailUnreadCounts:
        if self.account is None:
            return MailUnreadCounts(inbox=0, sent=0, archive=0)
        counts = await service.unread_counts(self.reader, info.context.services.eaddress.access)
        return MailUnreadCounts(inbox=counts.inbox, sent=0, archive=counts.archive)

    @strawberry.field(description="One page of a folder, newest first.")
    async def folder(
        self, info: Info, name: Folder, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> MailMessagePage:
        if self.account is None:
            return MailMessagePage(items=[], next_cursor=None)
        access = info.context.services.eaddress.access
        page = await service.list_folder(self.reader, access, name, after=after, limit=first)
        return MailMessagePage.of(page)

    @strawberry.field(
        description="Messages of every folder holding every word of `text` (as a word "
        "prefix, with or without diacritics), newest first. Error `empty_query` without words."
    )
    async def search(
        self, info: Info, text: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> MailMessagePage:
        if self.account is None:
            return MailMessagePage(items=[], next_cursor=None)
        access = info.context.services.eaddress.access
        page = await service.search(self.reader, access, text, after=after, limit=first)
        return MailMessagePage.of(page)

    @strawberry.field(
        description="A message without recording an opening (use `openMessage` to read it). "
        "Error `not_found` for a message of another mailbox, as for one that does not exist."
    )
    async def message(self, info: Info, id: strawberry.ID) -> MailMessage:
        access = info.context.services.eaddress.access
        try:
            record, chain = await service.view_message(self.reader, access, message_uuid(id))
        except AppError as exc:
            raise public_not_found(exc) from None
        return await build_message(record, chain)


@strawberry.type(
    description="An unopened message as anyone signed in may see it: sender and when it "
    "counts as received. `subject` only behind the e-address's login level."
)
class UnreadMail:
    id: strawberry.ID
    institution: MailInstitution
    sent_at: datetime
    deemed_delivered_on: date | None = strawberry.field(
        description="When it counts as received (Notification Law, Art. 9: the 2nd working "
        "day after sending), whether or not it is opened."
    )
    subject: str | None = strawberry.field(
        description="Null while the login is weaker than the e-address accepts."
    )


@strawberry.type(description="Unopened official mail, visible at any login level.")
class MailSummary:
    subject_id: strawberry.ID
    unread_count: int
    unread: list[UnreadMail] = strawberry.field(description="The newest first, `first` of them.")
    content_visible: bool = strawberry.field(
        description="Whether this login may read the messages (else `stepUpUrl` explains how)."
    )
    step_up_url: str | None = strawberry.field(
        description="The page explaining the stronger login, back to the mailbox; null when "
        "`contentVisible`."
    )


async def build_mail_summary(
    info: Info, reader: Reader, first: int, *, content_visible: bool, step_up_url: str | None
) -> MailSummary:
    access = info.context.services.eaddress.access
    count, notices = await service.unread_notices(reader, access, limit=first)
    return MailSummary(
        subject_id=strawberry.ID(reader.subject_key),
        unread_count=count,
        unread=[
            UnreadMail(
                id=strawberry.ID(str(n.id)),
                institution=MailInstitution(
                    id=strawberry.ID(str(n.institution_id)),
                    name=n.institution_name,
                    registration_number=None,
                ),
                sent_at=n.sent_at,
                deemed_delivered_on=n.deemed_delivered_on,
                subject=n.subject if content_visible else None,
            )
            for n in notices
        ],
        content_visible=content_visible,
        step_up_url=step_up_url,
    )


async def build_mailbox(info: Info, reader: Reader) -> Mailbox:
    access = info.context.services.eaddress.access
    account = await service.eaddress_status(reader, access)
    number = reader.subject_key.removeprefix("company:")
    if account is None and number != reader.subject_key:
        # A company's e-address is mandatory: it exists once anyone may act for the company.
        account = await service.ensure_company_account(number)
    own = reader.acts_for_self
    active = account is not None and account.active
    return Mailbox(
        reader=reader,
        account=account,
        subject_id=strawberry.ID(reader.subject_key),
        address=account.address if account else None,
        active=active,
        is_company=reader.subject_key.startswith("company:"),
        activated_at=account.activated_at if account else None,
        deactivated_at=account.deactivated_at if account else None,
        can_activate=own and not active,
        can_deactivate=own and active,
        can_reply=await access.grant(reader, MailboxAction.SEND) is not None,
    )
