"""A holder's mailbox as data: folders, keyset pages, unread counts and full-text search.

Every function takes the `Reader` (who reads, for whom) and a `MailboxAccess` that decides;
the GraphQL mailbox layer is a thin shell over these. Search compares folded words (lower
case, no diacritics: "paziņojums" finds "Paziņojums" and "pazinojums") through a GIN index on
PostgreSQL and an FTS5 table on SQLite, behind the one function `search`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from backend.eaddress.mailbox.access import MailboxAccess, MailboxAction, Reader, require
from backend.eaddress.mailbox.accounts import AccountInfo, account_by_subject
from backend.eaddress.paging import Cursor, Page, page_size, parse_cursor
from backend.eaddress.storage.content import search_terms
from backend.eaddress.tables import Message
from backend.lib.errors import BadInput, NotFound
from backend.lib.time import as_utc

MAX_SEARCH_TERMS = 8


class Folder(StrEnum):
    INBOX = "inbox"
    SENT = "sent"
    ARCHIVE = "archive"


@dataclass(frozen=True)
class MessageSummary:
    id: uuid.UUID
    thread_id: uuid.UUID
    direction: str
    institution_id: uuid.UUID
    institution_name: str
    subject: str
    sent_at: datetime
    deemed_delivered_on: date | None
    attachment_count: int
    opened: bool
    archived: bool

    @property
    def unread(self) -> bool:
        return self.direction == "in" and not self.opened


# The page is chosen first (one range scan of the mailbox index, LIMIT applied), and only its
# rows are then joined and checked for openings: otherwise PostgreSQL may hash every opening
# receipt in the database to decorate fifty rows.
_INNER = (
    "SELECT m.id, m.thread_id, m.direction, m.subject, m.sent_at, m.deemed_delivered_on, "
    "m.attachment_count, m.institution FROM eaddress_message m"
)
_OUTER = (
    "SELECT p.id, p.thread_id, p.direction, p.subject, p.sent_at, p.deemed_delivered_on, "
    "p.attachment_count, i.id AS institution_id, i.name AS institution_name, "
    "EXISTS (SELECT 1 FROM eaddress_receipt r WHERE r.message = p.id AND r.kind = 'opened' "
    "AND r.channel = '') AS opened, "
    "EXISTS (SELECT 1 FROM eaddress_archived x WHERE x.message = p.id) AS archived "
    "FROM ({inner}) p JOIN eaddress_institution i ON i.id = p.institution "
    "ORDER BY p.sent_at DESC, p.id DESC"
)
_ARCHIVED = "EXISTS (SELECT 1 FROM eaddress_archived x WHERE x.message = m.id)"
_NOT_ARCHIVED = f"NOT {_ARCHIVED}"


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _summary(row: dict[str, Any]) -> MessageSummary:
    on = row["deemed_delivered_on"]
    return MessageSummary(
        id=_uuid(row["id"]),
        thread_id=_uuid(row["thread_id"]),
        direction=row["direction"],
        institution_id=_uuid(row["institution_id"]),
        institution_name=row["institution_name"],
        subject=row["subject"],
        sent_at=as_utc(row["sent_at"]),
        deemed_delivered_on=date.fromisoformat(on) if isinstance(on, str) else on,
        attachment_count=row["attachment_count"],
        opened=bool(row["opened"]),
        archived=bool(row["archived"]),
    )


async def mailbox_account(reader: Reader, access: MailboxAccess) -> AccountInfo:
    """The reader's mailbox, after asking `access` for VIEW; NotFound if there is none."""
    await require(access, reader, MailboxAction.VIEW)
    account = await account_by_subject(reader.subject_key)
    if account is None:
        raise NotFound("There is no e-address here.", code="no_eaddress")
    return account


async def _page(where: str, args: list[Any], after: str | None, limit: int | None) -> Page[Any]:
    size, cursor = page_size(limit), parse_cursor(after)
    if cursor:
        where += " AND (m.sent_at, m.id) < ({}, {})"
        args = [*args, cursor.sent_at, cursor.id]
    # Only constant fragments and placeholders are joined here; values are bound parameters.
    inner = f"{_INNER} WHERE {where} ORDER BY m.sent_at DESC, m.id DESC LIMIT {{}}"
    rows = await Message.raw(_OUTER.replace("{inner}", inner), *args, size + 1).run()
    items = [_summary(row) for row in rows[:size]]
    next_cursor = None
    if len(rows) > size:
        next_cursor = Cursor(items[-1].sent_at, items[-1].id).encode()
    return Page(items=items, next_cursor=next_cursor)


async def list_folder(
    reader: Reader,
    access: MailboxAccess,
    folder: Folder,
    *,
    after: str | None = None,
    limit: int | None = None,
) -> Page[MessageSummary]:
    """One page of a folder, newest first."""
    account = await mailbox_account(reader, access)
    if folder is Folder.ARCHIVE:
        where = "m.account = {} AND " + _ARCHIVED
        return await _page(where, [account.id], after, limit)
    direction = "in" if folder is Folder.INBOX else "out"
    where = f"m.account = {{}} AND m.direction = {{}} AND {_NOT_ARCHIVED}"
    return await _page(where, [account.id, direction], after, limit)


async def unread_count(reader: Reader, access: MailboxAccess) -> int:
    """Messages in the inbox nobody has opened yet."""
    account = await mailbox_account(reader, access)
    rows = await Message.raw(
        "SELECT COUNT(*) AS n FROM eaddress_unread u WHERE u.account = {} "
        "AND NOT EXISTS (SELECT 1 FROM eaddress_archived x WHERE x.message = u.message)",
        account.id,
    ).run()
    return int(rows[0]["n"])


# `eaddress_unread` holds the incoming messages nobody has opened (kept by triggers, see the
# third e-address migration): counting costs what is unread, not the whole mailbox.
_UNREAD_BY_FOLDER = (
    "SELECT COALESCE(SUM(CASE WHEN a.archived THEN 0 ELSE 1 END), 0) AS inbox, "
    "COALESCE(SUM(CASE WHEN a.archived THEN 1 ELSE 0 END), 0) AS archive FROM ("
    "SELECT EXISTS (SELECT 1 FROM eaddress_archived x WHERE x.message = u.message) AS archived "
    "FROM eaddress_unread u WHERE u.account = {}) a"
)


@dataclass(frozen=True)
class UnreadCounts:
    inbox: int
    archive: int


async def unread_counts(reader: Reader, access: MailboxAccess) -> UnreadCounts:
    """Unopened messages from institutions per folder (replies are never unread), one query."""
    account = await mailbox_account(reader, access)
    rows = await Message.raw(_UNREAD_BY_FOLDER, account.id).run()
    return UnreadCounts(inbox=int(rows[0]["inbox"]), archive=int(rows[0]["archive"]))


@dataclass(frozen=True)
class UnreadNotice:
    """What a person may always see about an unopened message, whatever their login: who
    sent it and when it counts as received (Notification Law, Art. 9). Its subject is part of
    the content, which the e-address shows only behind its own login level."""

    id: uuid.UUID
    institution_id: uuid.UUID
    institution_name: str
    sent_at: datetime
    deemed_delivered_on: date | None
    subject: str


_UNREAD_NOTICES = (
    "SELECT m.id, m.subject, m.sent_at, m.deemed_delivered_on, i.id AS institution_id, "
    "i.name AS institution_name "
    "FROM eaddress_unread u JOIN eaddress_message m ON m.id = u.message "
    "JOIN eaddress_institution i ON i.id = m.institution WHERE u.account = {} "
    "AND NOT EXISTS (SELECT 1 FROM eaddress_archived x WHERE x.message = u.message) "
    "ORDER BY m.sent_at DESC, m.id DESC LIMIT {}"
)


async def unread_notices(
    reader: Reader, access: MailboxAccess, *, limit: int
) -> tuple[int, list[UnreadNotice]]:
    """The inbox's unopened messages: how many, and the newest `limit` of them. A mailbox
    that was never activated has none (and is not an error here)."""
    await require(access, reader, MailboxAction.VIEW)
    account = await account_by_subject(reader.subject_key)
    if account is None:
        return 0, []
    counts = await Message.raw(_UNREAD_BY_FOLDER, account.id).run()
    rows = await Message.raw(_UNREAD_NOTICES, account.id, limit).run()
    notices = []
    for row in rows:
        on = row["deemed_delivered_on"]
        notices.append(
            UnreadNotice(
                id=_uuid(row["id"]),
                institution_id=_uuid(row["institution_id"]),
                institution_name=row["institution_name"],
                sent_at=as_utc(row["sent_at"]),
                deemed_delivered_on=date.fromisoformat(on) if isinstance(on, str) else on,
                subject=row["subject"],
            )
        )
    return int(counts[0]["inbox"]), notices


async def search(
    reader: Reader,
    access: MailboxAccess,
    query: str,
    *,
    after: str | None = None,
    limit: int | None = None,
) -> Page[MessageSummary]:
    """Messages of every folder whose subject, body or file names hold every word of `query`
    (as a word prefix), newest first."""
    account = await mailbox_account(reader, access)
    terms = search_terms(query)[:MAX_SEARCH_TERMS]
    if not terms:
        raise BadInput("Search for at least one word.", code="empty_query")
    # Terms are runs of letters and digits only, so they cannot carry query syntax.
    if isinstance(Message._meta.db, PostgresEngine):
        match = " & ".join(f"{term}:*" for term in terms)
        where = "m.account = {} AND m.search_vector @@ to_tsquery('simple', {})"
    else:
        match = " AND ".join(f'"{term}"*' for term in terms)
        where = (
            "m.account = {} AND m.id IN (SELECT message_id FROM eaddress_message_fts "
            "WHERE eaddress_message_fts MATCH {})"
        )
    return await _page(where, [account.id, match], after, limit)
