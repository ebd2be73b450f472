"""The institutions' side of applications over real HTTP with real client-credential tokens
from the token endpoint (both modes): an institution lists and fetches only applications for
its own services, moves them through the status machine, and its decision or request for
information reaches the applicant's e-address (a person's, or a company's mailbox)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from backend.applications import service as applications
from backend.applications.institutions import services_of
from backend.auth.tables import Person
from backend.eaddress.mailbox.access import Grant, OwnMailboxOnly, PredicateAccess, Reader
from backend.eaddress.mailbox.accounts import activate_person
from backend.eaddress.mailbox.folders import Folder, list_folder
from backend.eaddress.mailbox.holder import view_message
from backend.lib.time import utcnow
from backend.lib.workdays import deemed_delivered_on
from backend.services import Services
from integrations.devstack.personas import persona
from tests.auth_driver import login_as
from tests.integration.applications.conftest import API, Client, client_for, declare
from tests.integration.eaddress.conftest import (
    make_company,
    make_person,
)


async def all_pages(client: Client, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await client.list(**params, limit=100, **({"cursor": cursor} if cursor else {}))
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def inbox(reader: Reader, access: Any = None) -> list[Any]:
    page = await list_folder(reader, access or OwnMailboxOnly(), Folder.INBOX, limit=100)
    return list(page.items)


async def test_an_institution_sees_only_submitted_applications_for_its_own_services(
    pmlp: Client, vsaa: Client, services: Services
) -> None:
    loaded_services = services
    holder = await make_person()
    subject = f"person:{holder.person_id}"
    sent = await declare(subject, holder.person_id)
    draft = await declare(subject, holder.person_id, submit=False)

    mine = await all_pages(pmlp, status="submitted")
    ids = {item["id"] for item in mine}
    assert str(sent.id) in ids
    assert str(draft.id) not in ids  # a draft is the person's alone
    own = set(services_of(loaded_services.catalogue.snapshot.catalogue, "pmlp"))
    assert {item["service"] for item in mine} <= own
    assert "declare-residence" in own
    assert "childbirth-benefit" not in own
    case = (await pmlp.get(sent.id)).json()
    assert case["status"] == "submitted"
    assert case["applicant"] == {"type": "personal_code", "id": holder.personal_code}
    assert case["answers"]["new_address"] == "Elizabetes iela 2, Rīga"
    assert case["url"].endswith(f"/applications/{sent.id}")
    assert [s["to"] for s in case["timeline"]] == ["draft", "submitted"]

    # Paging: one at a time, the cursor leads through every item once, oldest first.
    later = await declare(subject, holder.person_id)
    pages = []
    cursor = None
    while True:
        params = {"status": "submitted", "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await pmlp.list(**params)).json()
        assert len(page["items"]) <= 1
        pages += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(pages) == len(set(pages))
    assert pages.index(str(sent.id)) < pages.index(str(later.id))
    assert (await pmlp.list(cursor="not-a-cursor")).json()["code"] == "invalid_cursor"

    # The social insurance agency sees none of it: not in its list, 404 by id.
    assert str(sent.id) not in {item["id"] for item in await all_pages(vsaa)}
    other = await vsaa.get(sent.id)
    assert other.status_code == 404
    assert other.json()["code"] == "application_not_found"
    assert (await vsaa.step(sent.id, {"to": "received"})).status_code == 404
    # A draft is 404 to its own institution too, as is an id that does not exist.
    assert (await pmlp.get(draft.id)).status_code == 404
    assert (await pmlp.get(uuid.uuid4())).status_code == 404
    assert (await applications.load(sent.id)).status.value == "submitted"  # type: ignore[union-attr]


async def test_steps_follow_the_machine_and_the_decision_reaches_the_applicants_eaddress(
    pmlp: Client,
) -> None:
    holder = await make_person()
    record = await declare(f"person:{holder.person_id}", holder.person_id)

    # Deciding what nobody has received yet is not a step the machine has: 409.
    early = await pmlp.step(record.id, {"to": "decided", "outcome": "granted"})
    assert early.status_code == 409, early.text
    assert early.json()["code"] == "invalid_transition"

    received = await pmlp.step(record.id, {"to": "received"})
    assert received.status_code == 200, received.text
    assert received.json()["application"]["status"] == "received"
    assert received.json()["message"] is None
    assert (await pmlp.step(record.id, {"to": "in_progress"})).status_code == 200

    asked = await pmlp.step(
        record.id, {"to": "needs_information", "note": "Pievienojiet īres līguma kopiju."}
    )
    assert asked.status_code == 200, asked.text
    question = asked.json()["message"]
    assert question is not None

    # The person answers on their side; the institution decides.
    waiting = await applications.load(record.id)
    assert waiting is not None
    await applications.provide_information(waiting, holder.person_id, "Pievienoju.")
    decided = await pmlp.step(
        record.id,
        {"to": "decided", "outcome": "granted", "note": "Dzīvesvieta deklarēta no 20.11.2026."},
    )
    assert decided.status_code == 200, decided.text
    answer = decided.json()
    assert answer["application"]["status"] == "decided"
    assert answer["application"]["outcome"] == "granted"
    decision = answer["message"]
    assert decision["deemed_delivered_on"] == deemed_delivered_on(utcnow(), 2).isoformat()

    # Both arrived in the applicant's e-address as official messages from the institution.
    got = {m.id: m for m in await inbox(holder.reader)}
    assert {uuid.UUID(question["id"]), uuid.UUID(decision["id"])} <= set(got)
    message, _ = await view_message(holder.reader, OwnMailboxOnly(), uuid.UUID(decision["id"]))
    assert message.subject.startswith("Lēmums par iesniegumu")
    assert "iesniegums apmierināts" in message.body_text
    assert "Dzīvesvieta deklarēta no 20.11.2026." in message.body_text
    assert f"/applications/{record.id}" in message.body_text
    assert (
        got[uuid.UUID(decision["id"])].deemed_delivered_on.isoformat()
        == (decision["deemed_delivered_on"])
    )

    # The applicant's case timeline shows each step and the messages they sent.
    case = await applications.load(record.id, with_steps=True)
    assert case is not None
    assert [s.to_status.value for s in case.steps] == [
        "draft", "submitted", "received", "in_progress", "needs_information", "in_progress",
        "decided",
    ]  # fmt: skip
    assert str(case.steps[-1].message_id) == decision["id"]
    assert str(case.steps[4].message_id) == question["id"]

    # A decided case cannot go back.
    back = await pmlp.step(record.id, {"to": "in_progress"})
    assert back.status_code == 409
    assert (await pmlp.step(record.id, {"to": "closed"})).status_code == 200


async def test_a_company_applicants_decision_arrives_in_the_companys_mailbox(
    pmlp: Client,
) -> None:
    person = await make_person()
    number = await make_company()
    record = await declare(f"company:{number}", person.person_id)
    assert (await pmlp.step(record.id, {"to": "received"})).status_code == 200
    refused = await pmlp.step(
        record.id, {"to": "decided", "outcome": "refused", "note": "Adrese neeksistē."}
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["application"]["applicant"] == {"type": "company", "id": number}
    message_id = uuid.UUID(refused.json()["message"]["id"])

    async def board_member(reader: Reader, action: Any) -> Grant | None:
        return Grant()

    company = Reader(person.person_id, f"company:{number}")
    assert message_id in {m.id for m in await inbox(company, PredicateAccess(board_member))}
    # …and not in the person's own mailbox.
    assert message_id not in {m.id for m in await inbox(person.reader)}


async def test_a_retry_with_the_same_key_replays_and_another_body_is_refused(
    pmlp: Client,
) -> None:
    holder = await make_person()
    record = await declare(f"person:{holder.person_id}", holder.person_id)
    await pmlp.step(record.id, {"to": "received"})
    key = str(uuid.uuid4())
    body = {"to": "decided", "outcome": "partly", "note": "Daļēji."}
    first = await pmlp.step(record.id, body, key=key)
    again = await pmlp.step(record.id, body, key=key)
    assert first.status_code == again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    # One step, one message.
    case = await applications.load(record.id, with_steps=True)
    assert case is not None
    assert [s.to_status.value for s in case.steps].count("decided") == 1
    decisions = [m for m in await inbox(holder.reader) if m.subject.startswith("Lēmums")]
    assert len(decisions) == 1

    # Two identical requests at the same moment (a retry racing the original): one step.
    racing = str(uuid.uuid4())
    closing = await asyncio.gather(
        pmlp.step(record.id, {"to": "closed"}, key=racing),
        pmlp.step(record.id, {"to": "closed"}, key=racing),
    )
    assert [r.status_code for r in closing] == [200, 200], [r.text for r in closing]
    assert closing[0].json()["step_id"] == closing[1].json()["step_id"]
    closed = await applications.load(record.id, with_steps=True)
    assert closed is not None
    assert [s.to_status.value for s in closed.steps].count("closed") == 1

    other = await pmlp.step(record.id, {**body, "outcome": "granted"}, key=key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    missing = await pmlp.http.post(
        f"{API}/applications/{record.id}/transitions", json=body, headers=pmlp.auth
    )
    assert missing.status_code == 400
    assert missing.json()["code"] == "idempotency_key_missing"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"to": "flying"}, "$.to"),
        ({"to": "decided"}, "$.outcome"),
        ({"to": "received", "outcome": "granted"}, "$.outcome"),
        ({"to": "needs_information", "note": "  "}, "$.note"),
        ({"to": "received", "note": "x" * 2001}, "$.note"),
        ({"to": "received", "colour": "red"}, "$.colour"),
        ({"note": "hello"}, "$"),
    ],
)
async def test_a_bad_body_is_422_naming_the_field(
    pmlp: Client, body: dict[str, Any], path: str
) -> None:
    holder = await make_person()
    record = await declare(f"person:{holder.person_id}", holder.person_id)
    answer = await pmlp.step(record.id, body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_body"
    assert path in [e["path"] for e in answer.json()["errors"]]
    assert (await applications.load(record.id)).status.value == "submitted"  # type: ignore[union-attr]
    invalid_json = await pmlp.http.post(
        f"{API}/applications/{record.id}/transitions",
        content=b"{",
        headers={**pmlp.auth, "Idempotency-Key": "k", "Content-Type": "application/json"},
    )
    assert invalid_json.status_code == 400


async def test_a_client_without_the_scope_or_the_link_is_refused(
    published: Services,
    http: httpx.AsyncClient,
) -> None:
    holder = await make_person()
    record = await declare(f"person:{holder.person_id}", holder.person_id)
    reader = await client_for(http, "pmlp", ("applications:read",))
    assert (await reader.get(record.id)).status_code == 200
    refused = await reader.step(record.id, {"to": "received"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    assert "applications:write" in refused.headers["WWW-Authenticate"]

    mailer = await client_for(http, "pmlp", ("eaddress.send",))
    assert (await mailer.list()).json()["code"] == "insufficient_scope"
    assert (await mailer.get(record.id)).status_code == 403

    unlinked = await client_for(http, None)
    answer = await unlinked.list()
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_an_institution"
    assert (await http.get(f"{API}/applications")).status_code == 401
    assert (await applications.load(record.id)).status.value == "submitted"  # type: ignore[union-attr]


@pytest.mark.usefixtures("registry_sandbox", "idp")
async def test_the_applicant_follows_the_decision_from_the_case_page_to_the_message(
    pmlp: Client, base_url: str
) -> None:
    async with httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as browser:
        await login_as(browser, "martins")
        row = (
            await Person.select(Person.id)
            .where(Person.personal_code == persona("martins").personal_code)
            .first()
        )
        assert row is not None
        await activate_person(row["id"])
        record = await declare(f"person:{row['id']}", row["id"])
        assert (await pmlp.step(record.id, {"to": "received"})).status_code == 200
        decided = await pmlp.step(record.id, {"to": "decided", "outcome": "granted"})
        message = decided.json()["message"]

        page = await browser.get(f"/applications/{record.id}", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert f'href="/mail/messages/{message["id"]}"' in page.text
        assert "The official message in the e-address" in page.text
        assert "Counts as received on" in page.text
        mail = await browser.get(f"/mail/messages/{message['id']}", headers={"accept": "text/html"})
        assert mail.status_code == 200
        assert "Lēmums par iesniegumu" in mail.text


async def test_without_an_active_eaddress_the_decision_stands_and_a_retry_sends_it_once(
    pmlp: Client,
) -> None:
    holder = await make_person(activate=False)
    record = await declare(f"person:{holder.person_id}", holder.person_id)
    assert (await pmlp.step(record.id, {"to": "received"})).status_code == 200
    key = str(uuid.uuid4())
    body = {"to": "decided", "outcome": "granted"}
    first = await pmlp.step(record.id, body, key=key)
    assert first.status_code == 200, first.text
    assert first.json()["application"]["status"] == "decided"
    assert first.json()["message"] is None  # the institution delivers it another way

    # The message was not sent; once the person has an e-address, the retry sends it — once.
    await activate_person(holder.person_id)
    retry = await pmlp.step(record.id, body, key=key)
    again = await pmlp.step(record.id, body, key=key)
    assert retry.json()["message"] is not None
    assert again.json()["message"] == retry.json()["message"]
    assert [m.id for m in await inbox(holder.reader)] == [uuid.UUID(retry.json()["message"]["id"])]
