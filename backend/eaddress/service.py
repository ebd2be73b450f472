"""The e-address service API in one place: what routes, GraphQL resolvers, jobs, the seed and
the CLI call. Everything for a holder's mailbox takes a `Reader` and a `MailboxAccess`;
everything for an institution takes its id (from a verified token).

Mailbox (holder side, authorised through `MailboxAccess`):
    list_folder, unread_count, unread_counts, unread_notices, search, open_message,
    view_message, receipts, export_proof, download, download_by_attachment, reply,
    set_archived, is_archived,
    eaddress_status, activate, deactivate
Institution side:
    send_message, message_status, list_replies, download_for_institution, proof_for_institution
Accounts and institutions:
    recipient_account, ensure_company_account, activate_person, deactivate_person,
    register_institution, disable_institution
Receipts (for the notification centre): record_notified, record_notified_many, receipt_chain
"""

from __future__ import annotations

from backend.eaddress.institution_api.institution_view import (
    download_for_institution,
    list_replies,
    message_status,
    proof_for_institution,
)
from backend.eaddress.institution_api.institutions import disable_institution, register_institution
from backend.eaddress.institution_api.sending import SendResult, send_message
from backend.eaddress.mailbox.access import (
    Grant,
    MailboxAccess,
    MailboxAction,
    OwnMailboxOnly,
    PredicateAccess,
    Reader,
)
from backend.eaddress.mailbox.accounts import (
    AccountInfo,
    activate_person,
    deactivate_person,
    ensure_company_account,
    recipient_account,
    recipient_address,
)
from backend.eaddress.mailbox.folders import (
    Folder,
    MessageSummary,
    UnreadCounts,
    UnreadNotice,
    list_folder,
    search,
    unread_count,
    unread_counts,
    unread_notices,
)
from backend.eaddress.mailbox.holder import (
    OpenedMessage,
    activate,
    deactivate,
    download,
    download_by_attachment,
    eaddress_status,
    export_proof,
    is_archived,
    open_message,
    receipts,
    reply,
    set_archived,
    view_message,
)
from backend.eaddress.paging import Page
from backend.eaddress.storage.downloads import Download
from backend.eaddress.storage.receipts import (
    ReceiptChain,
    receipt_chain,
    record_notified,
    record_notified_many,
)
from backend.eaddress.storage.records import MessageRecord

__all__ = [
    "AccountInfo",
    "Download",
    "Folder",
    "Grant",
    "MailboxAccess",
    "MailboxAction",
    "MessageRecord",
    "MessageSummary",
    "OpenedMessage",
    "OwnMailboxOnly",
    "Page",
    "PredicateAccess",
    "Reader",
    "ReceiptChain",
    "SendResult",
    "UnreadCounts",
    "UnreadNotice",
    "activate",
    "activate_person",
    "deactivate",
    "deactivate_person",
    "disable_institution",
    "download",
    "download_by_attachment",
    "download_for_institution",
    "eaddress_status",
    "ensure_company_account",
    "export_proof",
    "is_archived",
    "list_folder",
    "list_replies",
    "message_status",
    "open_message",
    "proof_for_institution",
    "receipt_chain",
    "receipts",
    "recipient_account",
    "recipient_address",
    "record_notified",
    "record_notified_many",
    "register_institution",
    "reply",
    "search",
    "send_message",
    "set_archived",
    "unread_count",
    "unread_counts",
    "unread_notices",
    "view_message",
]
