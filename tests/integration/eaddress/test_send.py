"""POST /api/eaddress/v1/messages over real HTTP: what is accepted, stored and refused."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime

import httpx
import pytest

from backend.eaddress.mailbox.access import OwnMailboxOnly
from backend.eaddress.mailbox.holder import open_message
from backend.eaddress.tables import Attachment, Message
from backend.services import Services
from tests.integration.eaddress.conftest import (
    GIF,
    PDF,
    PNG,
    Api,
    Holder,
    make_company,
    make_person,
    message_json,
)


async def test_a_message_to_a_person_is_accepted_with_its_deemed_delivery_date(
    api: Api, holder: Holder
) -> None:
    response = await api.send(message_json(holder.recipient))
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/eaddress/v1/messages/{body['id']}"
    assert body["thread_id"] == body["id"]
    assert date.fromisoformat(body["deemed_delivered_on"]) > date.fromisoformat(
        body["sent_at"][:10]
    )
    stored = await Message.select().where(Message.id == uuid.UUID(body["id"])).first().run()
    assert stored is not None
    assert stored["subject"] == "Paziņojums par nekustamā īpašuma nodokli"


@pytest.mark.parametrize(
    ("sent_at", "deemed"),
    [
        (datetime(2025, 12, 23, 10, 0, tzinfo=UTC), "2025-12-30"),  # Christmas
        (datetime(2025, 12, 30, 10, 0, tzinfo=UTC), "2026-01-06"),  # New Year, 2 January off
        (datetime(2026, 1, 15, 21, 30, tzinfo=UTC), "2026-01-17"),  # Thu 23:30 Riga; Sat worked
        (datetime(2026, 1, 15, 22, 30, tzinfo=UTC), "2026-01-19"),  # already Friday in Riga
        (datetime(2026, 6, 19, 9, 0, tzinfo=UTC), "2026-06-26"),  # Midsummer
    ],
)
async def test_deemed_delivery_follows_the_latvian_calendar(
    api: Api,
    holder: Holder,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    sent_at: datetime,
    deemed: str,
) -> None:
    monkeypatch.setattr(services.eaddress, "clock", lambda: sent_at)
    response = await api.send(message_json(holder.recipient))
    assert response.status_code == 201
    assert response.json()["deemed_delivered_on"] == deemed
    assert datetime.fromisoformat(response.json()["sent_at"]) == sent_at


async def test_companies_and_eidas_holders_are_addressed_by_their_identifiers(api: Api) -> None:
    company = await make_company()
    to_company = await api.send(message_json({"type": "company", "id": company}))
    assert to_company.status_code == 201
    unknown = await api.send(message_json({"type": "company", "id": "40009999999"}))
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_recipient"
    eidas = await api.send(message_json({"type": "eidas_id", "id": "FR/LV/nobody-here"}))
    assert eidas.json()["code"] == "no_active_eaddress"


async def test_a_person_without_an_active_eaddress_must_get_paper(api: Api) -> None:
    never = await make_person(activate=False)
    response = await api.send(message_json(never.recipient))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "no_active_eaddress"
    bad = await api.send(message_json({"type": "personal_code", "id": "010101-10000"}))
    assert bad.json()["code"] == "invalid_recipient"


async def test_multipart_attachments_are_typed_by_content_and_hashed(
    api: Api, holder: Holder, services: Services
) -> None:
    files = [
        ("attachment", ("lēmums.pdf", PDF, "application/octet-stream")),
        ("attachment", ("scan.bin", PNG, "text/plain")),
        ("attachment", ("piezīmes.txt", "Paziņojums\n".encode(), "text/plain")),
    ]
    response = await api.send(message_json(holder.recipient), files=files)
    assert response.status_code == 201, response.text
    attachments = response.json()["attachments"]
    assert [a["content_type"] for a in attachments] == [
        "application/pdf",
        "image/png",
        "text/plain",
    ]
    assert [a["filename"] for a in attachments] == ["lēmums.pdf", "scan.bin", "piezīmes.txt"]
    assert attachments[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachments[0]["size"] == len(PDF)
    assert await services.eaddress.blobs.exists(attachments[0]["sha256"])
    opened = await open_message(holder.reader, OwnMailboxOnly(), uuid.UUID(response.json()["id"]))
    assert [a.sha256 for a in opened.message.attachments] == [a["sha256"] for a in attachments]


async def test_disallowed_types_are_refused_whatever_their_name(api: Api, holder: Holder) -> None:
    for name, content in [("lēmums.pdf", GIF), ("archive.pdf", b"PK\x03\x04" + b"\0" * 40)]:
        response = await api.send(
            message_json(holder.recipient),
            files=[("attachment", (name, content, "application/pdf"))],
        )
        assert response.status_code == 415, name
        assert response.json()["code"] == "unsupported_attachment_type"
    binary = await api.send(
        message_json(holder.recipient), files=[("attachment", ("a.txt", b"ab\x00cd", "text/plain"))]
    )
    assert binary.status_code == 415


async def test_size_and_count_limits(api: Api, holder: Holder, services: Services) -> None:
    limits = services.eaddress.settings
    big = PDF + b"\0" * limits.max_attachment_bytes
    too_big = await api.send(
        message_json(holder.recipient), files=[("attachment", ("big.pdf", big, "application/pdf"))]
    )
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "attachment_too_large"
    # Each file within its own limit, together just over the message's (and under the
    # absolute body limit, which would answer request_entity_too_large before reading).
    count = 3
    part = PDF + b"\0" * (limits.max_message_bytes // count + 50_000)
    assert len(part) <= limits.max_attachment_bytes
    total = await api.send(
        message_json(holder.recipient),
        files=[("attachment", (f"{i}.pdf", part, "application/pdf")) for i in range(count)],
    )
    assert total.status_code == 413
    assert total.json()["code"] == "message_too_large"
    many = [
        ("attachment", (f"{i}.pdf", PDF, "application/pdf"))
        for i in range(limits.max_attachments + 1)
    ]
    too_many = await api.send(message_json(holder.recipient), files=many)
    assert too_many.status_code == 422
    assert too_many.json()["code"] == "too_many_attachments"


async def test_text_must_be_utf8_and_the_message_well_formed(
    api: Api, holder: Holder, http: httpx.AsyncClient
) -> None:
    headers = {**api.auth, "Idempotency-Key": str(uuid.uuid4())}
    raw = (
        b'{"recipient": {"type": "personal_code", "id": "' + holder.personal_code.encode() + b'"},'
        b' "subject": "Pazi\xc5ojums", "body": "x"}'
    )
    invalid = await http.post(
        "/api/eaddress/v1/messages",
        content=raw,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid_utf8"
    in_part = await http.post(
        "/api/eaddress/v1/messages",
        files=[("message", (None, raw, "application/json"))],
        headers=headers,
    )
    assert in_part.json()["code"] == "invalid_utf8"
    for broken, code in [
        ({"subject": ""}, "invalid_message"),
        ({"body": "   "}, "invalid_message"),
        ({"subject": "a\nb"}, "invalid_message"),
        ({"body": "nul \x00 byte"}, "invalid_message"),
        ({"colour": "red"}, "invalid_message"),
        ({"thread_id": str(uuid.uuid4())}, "unknown_thread"),
        ({"attachment_ids": [str(uuid.uuid4())]}, "unknown_attachment"),
    ]:
        response = await api.send(message_json(holder.recipient, **broken))
        assert response.status_code == 422, broken
        assert response.json()["code"] == code, broken
    xml = await http.post(
        "/api/eaddress/v1/messages",
        content=b"<message/>",
        headers={**headers, "Content-Type": "application/xml"},
    )
    assert xml.status_code == 415
    assert xml.json()["code"] == "unsupported_media_type"


async def test_html_bodies_are_sanitised(api: Api, holder: Holder) -> None:
    html = (
        '<p onclick="steal()">Labdien, <strong>Līga</strong>!</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://www.vid.gov.lv">VID</a>'
        '<img src="https://tracker.example/p.gif">'
    )
    response = await api.send(message_json(holder.recipient, body_html=html))
    assert response.status_code == 201
    opened = await open_message(holder.reader, OwnMailboxOnly(), uuid.UUID(response.json()["id"]))
    clean = opened.message.body_html or ""
    assert "<strong>Līga</strong>" in clean
    assert 'href="https://www.vid.gov.lv"' in clean
    for gone in ("script", "onclick", "javascript:", "<img", "tracker"):
        assert gone not in clean


async def test_uploads_can_be_referenced_later_but_only_by_their_owner(
    api: Api, holder: Holder, http: httpx.AsyncClient
) -> None:
    upload = await http.post(
        "/api/eaddress/v1/attachments",
        files=[("attachment", ("izziņa.pdf", PDF, "application/pdf"))],
        headers=api.auth,
    )
    assert upload.status_code == 201, upload.text
    attachment_id = upload.json()["id"]
    sent = await api.send(message_json(holder.recipient, attachment_ids=[attachment_id]))
    assert sent.status_code == 201
    assert sent.json()["attachments"][0]["id"] == attachment_id
    assert await Attachment.count().where(Attachment.id == uuid.UUID(attachment_id)).run() == 1
    twice = await api.send(message_json(holder.recipient, attachment_ids=[attachment_id] * 2))
    assert twice.json()["code"] == "unknown_attachment"
    wrong_type = await http.post(
        "/api/eaddress/v1/attachments",
        files=[("attachment", ("x.pdf", GIF, "application/pdf"))],
        headers=api.auth,
    )
    assert wrong_type.status_code == 415


async def test_an_institution_may_continue_its_own_thread_only(
    api: Api, holder: Holder, http: httpx.AsyncClient
) -> None:
    first = (await api.send(message_json(holder.recipient))).json()
    follow = await api.send(message_json(holder.recipient, thread_id=first["thread_id"]))
    assert follow.status_code == 201
    assert follow.json()["thread_id"] == first["thread_id"]
    other = await make_person()
    elsewhere = await api.send(message_json(other.recipient, thread_id=first["thread_id"]))
    assert elsewhere.json()["code"] == "unknown_thread"


async def test_missing_or_malformed_idempotency_key_is_refused(
    api: Api, holder: Holder, http: httpx.AsyncClient
) -> None:
    missing = await http.post(
        "/api/eaddress/v1/messages", json=message_json(holder.recipient), headers=api.auth
    )
    assert missing.status_code == 400
    assert missing.json()["code"] == "idempotency_key_missing"
    bad = await api.send(message_json(holder.recipient), key="with space")
    assert bad.json()["code"] == "idempotency_key_invalid"
