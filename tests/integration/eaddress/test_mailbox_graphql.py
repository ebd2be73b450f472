"""The holder's mailbox over real HTTP with real logins: GraphQL and the download routes.

Personas keep their mail between tests (and, on PostgreSQL, between runs), so every test
finds its own messages by what it sent: newest first, unique words, counts before and after.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import KeySet

from backend.auth.people import find_by_personal_code
from backend.auth.tables import AuditEvent
from backend.eaddress.mailbox.accounts import ensure_company_account
from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import error_code, graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.eaddress.conftest import PDF, Api, fetch_token, make_institution
from tests.integration.eaddress.mailbox_driver import (
    ACTIVATE,
    ARCHIVE,
    DEACTIVATE,
    LOOK,
    OPEN,
    OZOLS,
    REPLY,
    SEARCH,
    delegation,
    logged_in,
    mailbox,
    ok,
    recipient,
    send,
    tag,
)
from tests.sandbox_driver import Sandbox


@pytest.fixture(scope="module")
async def inst_api(services: Services, base_url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield Api(client, await fetch_token(client, await make_institution()))


# Every login asks the Enterprise Register (via the sandbox) for the person's companies: it runs
# from the first login on, or its client's breaker would open and hide the companies.
@pytest.fixture(scope="module")
async def anna(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await logged_in(base_url, "anna")
    assert (await ok(client, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
    yield client
    await client.aclose()


@pytest.fixture(scope="module")
async def valdis(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await logged_in(base_url, "valdis")
    yield client
    await client.aclose()


async def test_pages_of_a_folder_unread_counts_and_one_opening(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    before = (await mailbox(anna))["unread"]
    word = tag()
    ids = [await send(inst_api, recipient("anna"), f"Vēstule {i} {word}") for i in range(3)]
    box = await mailbox(anna, first=2)
    assert box["address"] == f"pc:{persona('anna').personal_code}"
    assert box["unread"]["inbox"] == before["inbox"] + 3
    assert [m["id"] for m in box["folder"]["items"]] == [ids[2], ids[1]]
    assert all(m["unread"] and m["direction"] == "FROM_INSTITUTION" for m in box["folder"]["items"])
    older = await mailbox(anna, first=1, after=box["folder"]["nextCursor"])
    assert [m["id"] for m in older["folder"]["items"]] == [ids[0]]

    first = (await ok(anna, OPEN, id=ids[0]))["openMessage"]
    assert first["firstOpening"] is True
    opened = [r for r in first["message"]["receipts"] if r["kind"] == "OPENED"]
    assert opened == [
        {"kind": "OPENED", "channel": None, "byName": "Anna Bērziņa", "asDelegate": False}
    ]
    again = (await ok(anna, OPEN, id=ids[0]))["openMessage"]
    assert again["firstOpening"] is False
    assert [r["kind"] for r in again["message"]["receipts"]] == ["SENT", "AVAILABLE", "OPENED"]
    assert (await mailbox(anna))["unread"]["inbox"] == before["inbox"] + 2
    # Looking (the read-only view) is not opening.
    await ok(anna, LOOK, id=ids[1])
    assert (await mailbox(anna))["unread"]["inbox"] == before["inbox"] + 2
    audits = await AuditEvent.count().where(
        (AuditEvent.action == "eaddress_message_opened") & (AuditEvent.object_id == ids[0])
    )
    assert audits == 1
    status = (await inst_api.get(f"/messages/{ids[0]}")).json()
    assert status["status"] == "opened"


async def test_bad_cursors_and_page_sizes_are_refused_clearly(anna: httpx.AsyncClient) -> None:
    variables = {"f": "INBOX", "first": 5}
    for after in ("not-a-cursor", "Zm9vfGJhcg"):
        body = await graphql(anna, MAILBOX_QUERY, {**variables, "after": after})
        assert error_code(body) == "invalid_cursor", body
    body = await graphql(anna, MAILBOX_QUERY, {"f": "INBOX", "first": 0})
    assert error_code(body) == "invalid_limit"
    body = await graphql(anna, SEARCH, {"text": " ?! "})
    assert error_code(body) == "empty_query"


async def test_reply_reaches_the_institution_and_archive_and_search_work(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    word = tag()
    message_id = await send(inst_api, recipient("anna"), f"Paziņojums par nodokli {word}")
    bad = (await ok(anna, REPLY, id=message_id, body="   "))["replyToMessage"]
    assert bad == {"__typename": "InvalidInput", "code": "invalid_message"}
    sent = (await ok(anna, REPLY, id=message_id, body="Paldies, samaksāšu."))["replyToMessage"]
    reply = sent["reply"]
    assert reply["subject"] == f"Re: Paziņojums par nodokli {word}"
    assert reply["authorName"] == "Anna Bērziņa"
    assert (await mailbox(anna, "SENT"))["folder"]["items"][0]["id"] == reply["id"]

    found, after = [], None
    while True:
        page = (await inst_api.get("/replies", **({"after": after} if after else {}))).json()
        found += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        after = page["next_cursor"]
    assert reply["id"] in found

    for text in (f"pazinojums {word}", f"PAZIŅOJUMS {word}", f"nodok {word}"):
        items = (await ok(anna, SEARCH, text=text))["mailbox"]["search"]["items"]
        assert {m["id"] for m in items} == {message_id, reply["id"]}, text

    archived = (await ok(anna, ARCHIVE, id=message_id, a=True))["archiveMessage"]
    assert archived == {"__typename": "MessageArchived", "archived": True}
    assert (await mailbox(anna, "ARCHIVE"))["folder"]["items"][0]["id"] == message_id
    inbox_ids = [m["id"] for m in (await mailbox(anna, first=50))["folder"]["items"]]
    assert message_id not in inbox_ids
    await ok(anna, ARCHIVE, id=message_id, a=False)
    assert (await mailbox(anna))["folder"]["items"][0]["id"] == message_id


async def test_another_mailboxs_ids_are_not_found(
    anna: httpx.AsyncClient, valdis: httpx.AsyncClient, inst_api: Api
) -> None:
    message_id = await send(inst_api, recipient("anna"), f"Privāti {tag()}", pdf_name="a.pdf")
    look = (await ok(anna, LOOK, id=message_id))["mailbox"]["message"]
    attachment = look["attachments"][0]
    for ident in (message_id, "00000000-0000-4000-8000-000000000000", "nonsense"):
        opened = (await ok(valdis, OPEN, id=ident))["openMessage"]
        assert opened == {"__typename": "NotFoundError", "code": "not_found"}, ident
        assert error_code(await graphql(valdis, LOOK, {"id": ident})) == "not_found"
        archived = (await ok(valdis, ARCHIVE, id=ident, a=True))["archiveMessage"]
        assert archived["__typename"] == "NotFoundError"
    replied = (await ok(valdis, REPLY, id=message_id, body="Sveiki"))["replyToMessage"]
    assert replied == {"__typename": "NotFoundError", "code": "not_found"}
    anna_subject = (await mailbox(anna))["subjectId"]
    assert error_code(await graphql(valdis, LOOK, {"id": message_id, "s": anna_subject})) == (
        "forbidden"
    )
    assert error_code(await graphql(valdis, LOOK, {"id": message_id, "s": "person:x"})) == (
        "forbidden"
    )

    for path in (
        f"/mail/attachments/{attachment['id']}",
        f"/mail/attachments/{attachment['id']}?subject=",
        f"/mail/messages/{message_id}/proof.jws",
        f"/mail/messages/{message_id}/proof.json",
        "/mail/attachments/nonsense",
    ):
        answer = await valdis.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["code"] in ("attachment_not_found", "message_not_found"), path
    assert (await valdis.get(attachment["downloadUrl"])).status_code == 403
    async with httpx.AsyncClient(base_url=str(valdis.base_url)) as nobody:
        assert (await nobody.get(attachment["downloadUrl"])).status_code == 401
    # Nobody opened it by trying.
    assert (await ok(anna, OPEN, id=message_id))["openMessage"]["firstOpening"] is True


async def test_attachment_headers_and_a_proof_that_verifies(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    message_id = await send(inst_api, recipient("anna"), f"Lēmums {tag()}", pdf_name="Lēmums.pdf")
    message = (await ok(anna, OPEN, id=message_id))["openMessage"]["message"]
    attachment = message["attachments"][0]
    got = await anna.get(attachment["downloadUrl"])
    assert got.status_code == 200
    assert got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"L_mums.pdf\"; filename*=UTF-8''L%C4%93mums.pdf"
    )
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["cache-control"] == "private, no-store"
    digest = base64.b64encode(bytes.fromhex(attachment["sha256"])).decode()
    assert got.headers["repr-digest"] == f"sha-256=:{digest}:"

    proof = await anna.get(message["proofUrl"])
    assert proof.status_code == 200
    assert proof.headers["content-type"].startswith("application/jose")
    assert "attachment" in proof.headers["content-disposition"]
    keys = KeySet.import_key_set(
        (await anna.get("/.well-known/eaddress-receipts-jwks.json")).json()
    )
    verified = jws.deserialize_compact(proof.text, keys, algorithms=["ES256"])
    payload = json.loads(verified.payload)
    assert payload["message"]["id"] == message_id
    assert [r["kind"] for r in payload["receipts"]] == ["sent", "available", "opened"]
    assert payload["message"]["attachments"][0]["sha256"] == attachment["sha256"]
    envelope = (await anna.get(message["proofUrl"].replace(".jws", ".json"))).json()
    assert envelope["proof"].count(".") == 2
    assert envelope["jwks_uri"].endswith("/.well-known/eaddress-receipts-jwks.json")


async def test_turning_the_e_address_off_sends_institutions_to_paper(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str, inst_api: Api
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as weak:
        await login_as(weak, "edgars", "bank")
        refused = (await ok(weak, ACTIVATE))["activateEaddress"]
        assert refused["__typename"] == "StepUpRequired"
        assert refused["requiredLevel"] == "SUBSTANTIAL"
        assert error_code(await graphql(weak, MAILBOX_QUERY, {"f": "INBOX", "first": 1})) == (
            "step_up_required"
        )
    edgars = await logged_in(base_url, "edgars")
    try:
        on = (await ok(edgars, ACTIVATE))["activateEaddress"]["mailbox"]
        assert on == {
            "active": True,
            "canActivate": False,
            "canDeactivate": True,
            "address": f"pc:{persona('edgars').personal_code}",
        }
        assert await send(inst_api, recipient("edgars"), "Pirms izslēgšanas")
        off = (await ok(edgars, DEACTIVATE))["deactivateEaddress"]["mailbox"]
        assert off["active"] is False
        assert off["canActivate"] is True
        answer = await inst_api.send(
            {"recipient": recipient("edgars"), "subject": "Pēc", "body": "Teksts."}
        )
        assert answer.status_code == 422
        assert answer.json()["code"] == "no_active_eaddress"
        box = await mailbox(edgars)
        assert box["folder"]["items"][0]["subject"] == "Pirms izslēgšanas"  # history stays
    finally:
        assert (await ok(edgars, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
        await edgars.aclose()


async def test_company_mail_for_representatives_and_delegates(
    idp: RunningIdP,
    registry_sandbox: Sandbox,
    base_url: str,
    inst_api: Api,
    valdis: httpx.AsyncClient,
) -> None:
    await ensure_company_account(OZOLS_TECH.registration_number)
    martins = await logged_in(base_url, "martins")
    martins_person = await find_by_personal_code(persona("martins").personal_code or "")
    assert martins_person is not None
    try:
        message_id = await send(
            inst_api, {"type": "company", "id": OZOLS_TECH.registration_number}, f"PVN {tag()}"
        )
        box = await mailbox(martins, s=OZOLS)
        assert box["isCompany"]
        assert box["canReply"]
        assert not box["canActivate"]
        assert not box["canDeactivate"]
        assert box["folder"]["items"][0]["id"] == message_id

        async with delegation(martins_person.id, "valdis", "obligations"):
            assert (
                error_code(
                    await graphql(valdis, MAILBOX_QUERY, {"s": OZOLS, "f": "INBOX", "first": 1})
                )
                == "forbidden"
            )
            opened = (await ok(valdis, OPEN, id=message_id, s=OZOLS))["openMessage"]
            assert opened["__typename"] == "ForbiddenError"

        async with delegation(martins_person.id, "valdis", "view_mail"):
            assert (await mailbox(valdis, s=OZOLS))["folder"]["items"][0]["id"] == message_id
            opened = (await ok(valdis, OPEN, id=message_id, s=OZOLS))["openMessage"]
            assert opened["firstOpening"] is True
            replied = await ok(valdis, REPLY, id=message_id, body="Labi", s=OZOLS)
            assert replied["replyToMessage"]["__typename"] == "ForbiddenError"  # no send_mail

        seen = (await ok(martins, LOOK, id=message_id, s=OZOLS))["mailbox"]["message"]
        opening = [r for r in seen["receipts"] if r["kind"] == "OPENED"]
        assert opening == [
            {"kind": "OPENED", "channel": None, "byName": "Valdis Krūmiņš", "asDelegate": True}
        ]
        status = (await inst_api.get(f"/messages/{message_id}")).json()
        assert status["opened"]["as_delegate"] is True
    finally:
        await martins.aclose()


MAILBOX_QUERY = """query($s: ID, $f: MailFolder!, $first: Int!, $after: String) {
  mailbox(subjectId: $s) { folder(name: $f, first: $first, after: $after) { nextCursor } } }"""
