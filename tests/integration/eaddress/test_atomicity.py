"""A failure inside the send transaction leaves nothing behind: no message, no attachment row,
no receipt, no outbox event, no idempotency answer. Then the retry succeeds."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from backend.eaddress.mailbox.accounts import account_by_subject
from backend.eaddress.storage import writing
from backend.eaddress.tables import (
    Attachment,
    IdempotencyRecord,
    Message,
    MessageAttachment,
    Receipt,
)
from backend.events import service as event_service
from backend.events.tables import DomainEvent
from backend.lib import statements
from backend.lib.statements import Statement
from tests.integration.eaddress.conftest import PDF, Api, Holder, message_json


def _breaking(real: Callable[..., Statement], table: str) -> Callable[..., Statement]:
    """`insert`, except that rows for `table` get NULL in a NOT NULL column: the database
    refuses that statement, after (SQLite) or together with (PostgreSQL) the others."""

    def broken(
        name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], **kw: Any
    ) -> Statement:
        if name == table:
            rows = [
                tuple(None if c == "kind" else v for c, v in zip(columns, row, strict=True))
                for row in rows
            ]
        return real(name, columns, rows, **kw)

    return broken


async def unread_rows(account_id: uuid.UUID) -> int:
    rows = await Message.raw(
        "SELECT COUNT(*) AS n FROM eaddress_unread WHERE account = {}", account_id
    ).run()
    return int(rows[0]["n"])


@pytest.mark.parametrize("table", ["events_event", "eaddress_receipt"])
async def test_a_failure_inside_the_transaction_leaves_nothing(
    api: Api, holder: Holder, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    content = PDF + uuid.uuid4().bytes  # unique, so its rows can be found
    digest = hashlib.sha256(content).hexdigest()
    files = [("attachment", ("lēmums.pdf", content, "application/pdf"))]
    key = str(uuid.uuid4())
    module = event_service if table == "events_event" else writing
    monkeypatch.setattr(module, "insert", _breaking(statements.insert, table))

    failed = await api.send(message_json(holder.recipient), key=key, files=files)
    assert failed.status_code == 500
    assert failed.json()["code"] == "internal_error"

    account = await account_by_subject(f"person:{holder.person_id}")
    assert account is not None
    assert await Message.count().where(Message.account == account.id).run() == 0
    assert await Attachment.count().where(Attachment.sha256 == digest).run() == 0
    assert (
        await MessageAttachment.count().where(MessageAttachment.attachment.sha256 == digest).run()
        == 0
    )
    assert await Receipt.count().where(Receipt.message.account == account.id).run() == 0
    assert (
        await DomainEvent.count()
        .where(DomainEvent.subject_key == account.subject_key)
        .where(DomainEvent.kind == "eaddress.message_received")
        .run()
        == 0
    )
    assert await IdempotencyRecord.count().where(IdempotencyRecord.key == key).run() == 0
    assert await unread_rows(account.id) == 0

    monkeypatch.undo()
    retried = await api.send(message_json(holder.recipient), key=key, files=files)
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    assert await Message.count().where(Message.account == account.id).run() == 1
    assert await Attachment.count().where(Attachment.sha256 == digest).run() == 1
    assert await Receipt.count().where(Receipt.message.account == account.id).run() == 2
    assert await unread_rows(account.id) == 1  # kept by the database's triggers, same statement
    assert (
        await DomainEvent.count()
        .where(DomainEvent.subject_key == account.subject_key)
        .where(DomainEvent.kind == "eaddress.message_received")
        .run()
        == 1
    )
