"""File names as people see them: an uploaded name keeps no bidirectional overrides,
zero-width or other invisible characters, and is NFC-normalised, wherever it is shown or
downloaded. `x.pdf\u202egnp.exe` displays as "x.pdfexe.png": the classic way to dress a
program up as a picture."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.eaddress.tables import Attachment
from backend.lib.time import utcnow
from backend.services import Services
from tests.idp_driver import RunningIdP
from tests.integration.eaddress.conftest import (
    PDF,
    Api,
    fetch_token,
    make_institution,
    message_json,
)
from tests.integration.eaddress.mailbox_driver import (
    ACTIVATE,
    OPEN,
    logged_in,
    ok,
    recipient,
    send,
    tag,
)
from tests.sandbox_driver import Sandbox

# (as uploaded, as shown)
NAMES = [
    ("x.pdf\u202egnp.exe", "x.pdfgnp.exe"),  # RIGHT-TO-LEFT OVERRIDE
    ("\u2067rēķins\u2069.pdf", "rēķins.pdf"),  # isolates
    ("le\u0304mums.pdf", "lēmums.pdf"),  # decomposed ē → NFC
    ("zero\u200bwidth\u200d\ufeff.pdf", "zerowidth.pdf"),
    ("soft\u00adhyphen\u2028line.pdf", "softhyphenline.pdf"),
    ("delete\x7f.pdf", "delete.pdf"),  # (clients percent-encode controls below 0x20)
    ("\u202e", "attachment"),  # nothing visible left
]


@pytest.fixture(scope="module")
async def inst_api(services: Services, base_url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield Api(client, await fetch_token(client, await make_institution()))


@pytest.fixture(scope="module")
async def anna(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await logged_in(base_url, "anna")
    assert (await ok(client, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
    yield client
    await client.aclose()


@pytest.mark.parametrize(("uploaded", "shown"), NAMES)
async def test_an_upload_keeps_only_the_visible_name(
    inst_api: Api, uploaded: str, shown: str
) -> None:
    answer = await inst_api.http.post(
        "/api/eaddress/v1/attachments",
        files=[("attachment", (uploaded, PDF, "application/pdf"))],
        headers=inst_api.auth,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["filename"] == shown


async def test_the_holder_sees_and_downloads_the_cleaned_name(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    message_id = await send(
        inst_api, recipient("anna"), f"Rēķins {tag()}", pdf_name="x.pdf\u202egnp.exe"
    )
    message = (await ok(anna, OPEN, id=message_id))["openMessage"]["message"]
    (attachment,) = message["attachments"]
    assert attachment["filename"] == "x.pdfgnp.exe"
    got = await anna.get(attachment["downloadUrl"])
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"x.pdfgnp.exe\"; filename*=UTF-8''x.pdfgnp.exe"
    )
    page = await anna.get(f"/mail/messages/{message_id}", headers={"accept": "text/html"})
    assert "x.pdfgnp.exe" in page.text
    assert "\u202e" not in page.text
    api_copy = await inst_api.get(f"/messages/{message_id}/attachments/{attachment['id']}")
    assert "\u202e" not in api_copy.headers["content-disposition"]
    assert "x.pdfgnp.exe" in api_copy.headers["content-disposition"]


async def test_a_text_attachment_names_its_charset_once(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    body = message_json(recipient("anna"), subject=f"Izziņa {tag()}")
    files = [("attachment", ("izziņa.txt", "Nodokļa parāds: 0,00 €".encode(), "text/plain"))]
    sent = await inst_api.send(body, files=files)
    assert sent.status_code == 201, sent.text
    message = (await ok(anna, OPEN, id=sent.json()["id"]))["openMessage"]["message"]
    (attachment,) = message["attachments"]
    got = await anna.get(attachment["downloadUrl"])
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/plain; charset=utf-8"
    assert got.text == "Nodokļa parāds: 0,00 €"


async def test_a_name_stored_before_cleaning_is_shown_cleaned(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    """Attachment rows are immutable, so names uploaded before names were cleaned stay as
    they came; what people see of them is cleaned on the way out."""
    upload = await inst_api.http.post(
        "/api/eaddress/v1/attachments",
        files=[("attachment", ("placeholder.pdf", PDF, "application/pdf"))],
        headers=inst_api.auth,
    )
    row = await Attachment.select().where(Attachment.id == upload.json()["id"]).first().run()
    assert row is not None
    old_id = uuid.uuid4()
    await Attachment.insert(
        Attachment(**{**row, "id": old_id, "filename": "old\u202efdp.exe", "created_at": utcnow()})
    ).run()
    body = {
        "recipient": recipient("anna"),
        "subject": f"Vecs {tag()}",
        "body": "Pielikumā.",
        "attachment_ids": [str(old_id)],
    }
    sent = await inst_api.send(body)
    assert sent.status_code == 201, sent.text
    message = (await ok(anna, OPEN, id=sent.json()["id"]))["openMessage"]["message"]
    (attachment,) = message["attachments"]
    assert attachment["filename"] == "oldfdp.exe"
    got = await anna.get(attachment["downloadUrl"])
    assert "oldfdp.exe" in got.headers["content-disposition"]
    assert "%E2%80%AE" not in got.headers["content-disposition"]
