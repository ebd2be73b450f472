"""What the sending institution sees: status with the receipt chain, replies, files — and
that another institution sees none of it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.eaddress.errors import MessageNotFound
from backend.eaddress.institution_api.intake import StagedFile
from backend.eaddress.mailbox.access import (
    Grant,
    MailboxAction,
    OwnMailboxOnly,
    PredicateAccess,
    Reader,
)
from backend.eaddress.mailbox.holder import open_message, reply
from backend.eaddress.storage.receipts import record_notified
from backend.lib.errors import Forbidden
from backend.services import Services
from tests.integration.eaddress.conftest import (
    PDF,
    Api,
    Holder,
    fetch_token,
    make_company,
    make_institution,
    make_person,
    message_json,
)


async def test_status_follows_the_chain_up_to_the_first_opening(api: Api, holder: Holder) -> None:
    sent = (await api.send(message_json(holder.recipient))).json()
    status = await api.get(f"/messages/{sent['id']}")
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "available"
    assert [r["kind"] for r in body["receipts"]] == ["sent", "available"]
    assert body["opened"] is None
    assert body["notified"] == []
    assert body["deemed_delivered_on"] == sent["deemed_delivered_on"]

    message_id = uuid.UUID(sent["id"])
    assert await record_notified(message_id, "email")
    assert not await record_notified(message_id, "email")  # a retried notice: kept once
    assert await record_notified(message_id, "sms")
    status = (await api.get(f"/messages/{sent['id']}")).json()
    assert status["status"] == "notified"
    assert sorted(n["channel"] for n in status["notified"]) == ["email", "sms"]

    first = await open_message(holder.reader, OwnMailboxOnly(), message_id)
    again = await open_message(holder.reader, OwnMailboxOnly(), message_id)
    assert first.first_opening
    assert not again.first_opening
    status = (await api.get(f"/messages/{sent['id']}")).json()
    assert status["status"] == "opened"
    assert status["opened"]["by_person_id"] == str(holder.person_id)
    assert status["opened"]["as_delegate"] is False
    kinds = [r["kind"] for r in status["receipts"]]
    assert kinds == ["sent", "available", "notified", "notified", "opened"]


async def test_a_delegate_opening_a_company_message_is_recorded_as_such(api: Api) -> None:
    company = await make_company()
    accountant = await make_person()
    sent = (await api.send(message_json({"type": "company", "id": company}))).json()

    async def delegation(reader: Reader, action: MailboxAction) -> Grant | None:
        ok = reader.subject_key == f"company:{company}" and action is MailboxAction.VIEW
        return Grant(as_delegate=True) if ok else None

    reader = Reader(person_id=accountant.person_id, subject_key=f"company:{company}")
    opened = await open_message(reader, PredicateAccess(delegation), uuid.UUID(sent["id"]))
    assert opened.as_delegate
    assert opened.first_opening
    status = (await api.get(f"/messages/{sent['id']}")).json()
    assert status["opened"] == {
        "at": status["opened"]["at"],
        "by_person_id": str(accountant.person_id),
        "as_delegate": True,
    }


async def test_another_institution_gets_404_for_every_id(
    api: Api, holder: Holder, http: httpx.AsyncClient
) -> None:
    sent = (
        await api.send(
            message_json(holder.recipient),
            files=[("attachment", ("a.pdf", PDF, "application/pdf"))],
        )
    ).json()
    other = Api(http, await fetch_token(http, await make_institution()))
    attachment_id = sent["attachments"][0]["id"]
    for path in (
        f"/messages/{sent['id']}",
        f"/messages/{sent['id']}/proof",
        f"/messages/{sent['id']}/attachments/{attachment_id}",
        f"/messages/{uuid.uuid4()}",
    ):
        response = await other.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "message_not_found"
    mine = await api.get(f"/messages/{sent['id']}/attachments/{uuid.uuid4()}")
    assert mine.json()["code"] == "attachment_not_found"
    assert (await other.get("/replies")).json()["items"] == []


async def test_reading_needs_the_read_scope(http: httpx.AsyncClient, holder: Holder) -> None:
    sender = await make_institution(("eaddress.send",))
    api = Api(http, await fetch_token(http, sender))
    sent = (await api.send(message_json(holder.recipient))).json()
    response = await api.get(f"/messages/{sent['id']}")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


async def test_replies_are_listed_for_the_institution_with_keyset_pages(
    api: Api, holder: Holder, services: Services, http: httpx.AsyncClient
) -> None:
    sent = (await api.send(message_json(holder.recipient))).json()
    blob = await services.eaddress.blobs.put(PDF)
    staged = StagedFile("atbilde.pdf", "application/pdf", blob.sha256, blob.size)
    settings = services.eaddress.settings
    reply_ids = [
        await reply(
            holder.reader,
            OwnMailboxOnly(),
            uuid.UUID(sent["id"]),
            f"Atbilde nr. {i}",
            settings,
            files=[staged] if i == 0 else (),
        )
        for i in range(3)
    ]
    seen: list[str] = []
    after = None
    while True:
        page = (await api.get("/replies", limit=2, **({"after": after} if after else {}))).json()
        seen += [item["id"] for item in page["items"]]
        after = page["next_cursor"]
        if after is None:
            break
    assert seen == [str(r) for r in reply_ids]
    first = (await api.get("/replies", limit=1)).json()["items"][0]
    assert first["thread_id"] == sent["thread_id"]
    assert first["in_reply_to"] == sent["id"]
    assert first["subject"].startswith("Re: ")
    assert first["sender"] == f"pc:{holder.personal_code}"
    assert [a["sha256"] for a in first["attachments"]] == [blob.sha256]
    download = await api.get(f"/messages/{first['id']}/attachments/{first['attachments'][0]['id']}")
    assert download.content == PDF
    status = (await api.get(f"/messages/{reply_ids[0]}")).json()
    assert status["direction"] == "reply"
    bad = await api.get("/replies", after="bm90LWEtY3Vyc29y")
    assert bad.json()["code"] == "invalid_cursor"
    assert (await api.get("/replies", limit=500)).json()["code"] == "invalid_limit"


async def test_attachments_download_streamed_with_type_and_name(api: Api, holder: Holder) -> None:
    content = PDF + uuid.uuid4().bytes
    sent = (
        await api.send(
            message_json(holder.recipient),
            files=[("attachment", ("Lēmums Nr 1.pdf", content, "application/octet-stream"))],
        )
    ).json()
    attachment = sent["attachments"][0]
    response = await api.get(f"/messages/{sent['id']}/attachments/{attachment['id']}")
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"L_mums Nr 1.pdf\"; filename*=UTF-8''L%C4%93mums%20Nr%201.pdf"
    )
    assert response.headers["cache-control"] == "private, no-store"


async def test_another_persons_mailbox_is_closed(api: Api, holder: Holder) -> None:
    sent = (await api.send(message_json(holder.recipient))).json()
    stranger = await make_person()
    with pytest.raises(MessageNotFound):
        await open_message(stranger.reader, OwnMailboxOnly(), uuid.UUID(sent["id"]))
    as_other = Reader(person_id=stranger.person_id, subject_key=f"person:{holder.person_id}")
    with pytest.raises(Forbidden):
        await open_message(as_other, OwnMailboxOnly(), uuid.UUID(sent["id"]))
    status = (await api.get(f"/messages/{sent['id']}")).json()
    assert status["opened"] is None
