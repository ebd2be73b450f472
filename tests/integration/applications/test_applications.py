"""Applications over GraphQL and the pages, through real HTTP, real logins at the development
provider and registry facts from the sandbox (both modes: SQLite + memory, PostgreSQL + Redis)."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from backend.applications.tables import Application, ApplicationEvent
from backend.auth.people import PersonRecord
from backend.auth.tables import Delegation, Person
from backend.events.tables import DomainEvent
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import error_code, graphql, login_as

pytestmark = pytest.mark.usefixtures("registry_sandbox", "idp")

HTML = {"accept": "text/html"}
IBAN = "LV80BANK0000435195001"
OZOLS = f"company:{OZOLS_TECH.registration_number}"

APP = """id subjectId service status statusText reasons respondBy key
  timeline { status statusText actorText note }
  form { fields { id value display source editable } }"""
LIST = f"""query($subject: ID) {{ applications(subjectId: $subject) {{
  subject {{ id }} items {{ {APP} }} }} }}"""
ONE = f"query($id: ID!) {{ application(id: $id) {{ {APP} }} }}"
RESULT = f"""__typename
  ... on ApplicationSaved {{ application {{ {APP} }} }}
  ... on AnswersInvalid {{ errors {{ field message }} }}
  ... on InvalidInput {{ code }}
  ... on NotFoundError {{ code }}
  ... on ForbiddenError {{ code }}
  ... on StepUpRequired {{ requiredLevel }}"""
SUBMIT = f"mutation($in: ApplicationInput!) {{ submitApplication(input: $in) {{ {RESULT} }} }}"
SAVE = f"mutation($in: ApplicationInput!) {{ saveApplicationDraft(input: $in) {{ {RESULT} }} }}"
CONFIRM = f"""mutation($id: ID!, $answers: [AnswerInput!]!) {{
  confirmPreparedApplication(id: $id, answers: $answers) {{ {RESULT} }} }}"""
SWITCH = "mutation($id: ID!) { switchActingAs(subjectId: $id) { __typename } }"
DECLINE = f"""mutation($id: ID!, $note: String!) {{
  declinePreparedApplication(id: $id, note: $note) {{ {RESULT} }} }}"""


@pytest.fixture(autouse=True)
def english(http: httpx.AsyncClient) -> None:
    http.headers["Accept-Language"] = "en"


async def data(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await graphql(http, query, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]  # type: ignore[assignment]
    return next(iter(result.values()))


async def person_of(slug: str) -> PersonRecord:
    row = await Person.select().where(Person.personal_code == persona(slug).personal_code).first()
    assert row is not None
    return PersonRecord(row["id"], row["personal_code"], None, "", "", "lv", None)


async def forget_applications(slug: str) -> str:
    """The persona's applications start from nothing (the database outlives a test run)."""
    key = (await person_of(slug)).subject_key
    await Application.delete().where(Application.subject_key == key)
    return key


def residence(key: str, **answers: str) -> dict[str, Any]:
    base = {"new_address": "Elizabetes iela 2, Rīga", "moved_on": "2026-11-20", "basis": "tenancy"}
    merged = {**base, **answers}
    return {
        "serviceId": "declare-residence",
        "key": key,
        "answers": [{"field": k, "value": v} for k, v in merged.items()],
    }


async def test_laura_confirms_the_childbirth_benefit_the_state_prepared(
    http: httpx.AsyncClient,
) -> None:
    await login_as(http, "laura")
    subject = await forget_applications("laura")
    listing = await data(http, LIST)
    prepared = {a["service"]: a for a in listing["items"] if a["status"] == "PREPARED"}
    assert set(prepared) == {"childbirth-benefit", "family-state-benefit"}
    benefit = prepared["childbirth-benefit"]
    assert any("Population Register shows that your child" in r for r in benefit["reasons"])
    assert benefit["respondBy"] is not None
    fields = {f["id"]: f for f in benefit["form"]["fields"]}
    assert fields["child"]["value"]
    assert fields["child"]["source"].startswith("Population Register")
    assert fields["declared_address"]["editable"] is False
    assert fields["declared_address"]["source"].startswith("Population Register")

    # The same facts again prepare nothing new.
    again = await data(http, LIST)
    assert len([a for a in again["items"] if a["status"] == "PREPARED"]) == 2

    # The registers do not know her account: confirming without it names the field.
    missing = await data(http, CONFIRM, id=benefit["id"], answers=[])
    assert missing["__typename"] == "AnswersInvalid", missing
    assert [e["field"] for e in missing["errors"]] == ["account"]
    # What the law takes from the register cannot be changed on the way.
    changed = await data(
        http,
        CONFIRM,
        id=benefit["id"],
        answers=[{"field": "account", "value": IBAN}, {"field": "child", "value": "010101-10006"}],
    )
    assert changed["__typename"] == "AnswersInvalid"
    assert [e["field"] for e in changed["errors"]] == ["child"]

    # A double tap on "confirm": one submission.
    answers = [{"field": "account", "value": IBAN}]
    first, second = await asyncio.gather(
        data(http, CONFIRM, id=benefit["id"], answers=answers),
        data(http, CONFIRM, id=benefit["id"], answers=answers),
    )
    assert first["__typename"] == second["__typename"] == "ApplicationSaved"
    case = await data(http, ONE, id=benefit["id"])
    assert case["status"] == "SUBMITTED"
    assert [s["status"] for s in case["timeline"]] == ["PREPARED", "SUBMITTED"]
    assert [s["actorText"] for s in case["timeline"]] == ["Vienuviet", "You"]
    answers_now = {f["id"]: f["value"] for f in case["form"]["fields"]}
    assert answers_now["account"] == IBAN
    assert answers_now["child"] == fields["child"]["value"]

    # Each status change is an event for the notification centre (category "applications").
    events = await DomainEvent.select(DomainEvent.payload).where(
        (DomainEvent.kind == "applications.status_changed") & (DomainEvent.subject_key == subject)
    )
    statuses = sorted(str(e["payload"]) for e in events if benefit["id"] in str(e["payload"]))
    assert len(statuses) == 2  # prepared, submitted


async def test_laura_says_the_prepared_family_benefit_is_wrong(http: httpx.AsyncClient) -> None:
    await login_as(http, "laura")
    await forget_applications("laura")
    listing = await data(http, LIST)
    family = next(a for a in listing["items"] if a["service"] == "family-state-benefit")
    declined = await data(http, DECLINE, id=family["id"], note="My partner claims this one.")
    assert declined["__typename"] == "ApplicationSaved"
    case = declined["application"]
    assert case["status"] == "DECLINED"
    assert case["timeline"][-1]["note"] == "My partner claims this one."
    # Declined stays declined: the same fact does not prepare it again.
    listing = await data(http, LIST)
    assert [a["status"] for a in listing["items"] if a["service"] == "family-state-benefit"] == [
        "DECLINED"
    ]
    again = await data(
        http, CONFIRM, id=family["id"], answers=[{"field": "account", "value": IBAN}]
    )
    assert again == {"__typename": "InvalidInput", "code": "not_prepared"}


async def test_a_double_submit_makes_one_application(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna")
    key = uuid.uuid4().hex
    first, second = await asyncio.gather(
        data(http, SUBMIT, **{"in": residence(key)}), data(http, SUBMIT, **{"in": residence(key)})
    )
    assert first["__typename"] == second["__typename"] == "ApplicationSaved"
    assert first["application"]["id"] == second["application"]["id"]
    third = await data(http, SUBMIT, **{"in": residence(key)})
    assert third["application"]["id"] == first["application"]["id"]
    rows = await Application.select(Application.id).where(Application.client_key == key)
    assert len(rows) == 1
    steps = await ApplicationEvent.select().where(
        ApplicationEvent.application == first["application"]["id"]
    )
    assert sorted(s["to_status"] for s in steps) == ["draft", "submitted"]


async def test_a_draft_is_kept_on_the_server_and_sent_later(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna")
    key = uuid.uuid4().hex
    partial = {
        "serviceId": "declare-residence",
        "key": key,
        "answers": [{"field": "new_address", "value": "Elizabetes iela 2, Rīga"}],
    }
    draft = await data(http, SAVE, **{"in": partial})
    assert draft["__typename"] == "ApplicationSaved"
    assert draft["application"]["status"] == "DRAFT"
    wrong = await data(http, SAVE, **{"in": residence(key, moved_on="2099-01-01")})
    assert wrong["__typename"] == "AnswersInvalid"
    assert wrong["errors"] == [
        {"field": "moved_on", "message": "The date cannot be in the future."}
    ]
    # The draft is there for the next visit, with its answers and its key.
    again = await data(http, ONE, id=draft["application"]["id"])
    assert again["key"] == key
    assert {f["id"]: f["value"] for f in again["form"]["fields"]}["new_address"] == (
        "Elizabetes iela 2, Rīga"
    )
    sent = await data(http, SUBMIT, **{"in": residence(key)})
    assert sent["application"]["id"] == draft["application"]["id"]
    assert sent["application"]["status"] == "SUBMITTED"
    late = await data(http, SAVE, **{"in": residence(key)})
    assert late == {"__typename": "InvalidInput", "code": "already_submitted"}


async def test_nobody_reads_or_changes_anothers_application(base_url: str) -> None:
    async with (
        httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as laura,
        httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as anna,
    ):
        await login_as(laura, "laura")
        await login_as(anna, "anna")
        listing = await data(laura, LIST)
        laura_id = listing["items"][0]["id"]
        assert error_code(await graphql(anna, ONE, {"id": laura_id})) == "not_found"
        assert error_code(await graphql(anna, ONE, {"id": "not-a-uuid"})) == "not_found"
        for mutation, variables in (
            (CONFIRM, {"id": laura_id, "answers": []}),
            (DECLINE, {"id": laura_id, "note": "x"}),
        ):
            result = await data(anna, mutation, **variables)
            assert result == {"__typename": "NotFoundError", "code": "not_found"}
        page = await anna.get(f"/applications/{laura_id}", headers=HTML)
        assert page.status_code == 404
        assert "Childbirth benefit" not in page.text
        # Naming Laura as the subject is refused, not answered.
        laura_key = listing["subject"]["id"]
        assert error_code(await graphql(anna, LIST, {"subject": laura_key})) == "forbidden"
        refused = await data(
            anna, SUBMIT, **{"in": {**residence(uuid.uuid4().hex), "subjectId": laura_key}}
        )
        assert refused["__typename"] == "ForbiddenError"
        # Laura's case is unchanged and still hers.
        mine = await laura.get(f"/applications/{laura_id}", headers=HTML)
        assert mine.status_code == 200


async def _delegate(grantee_code: str, scopes: str) -> str:
    number = f"5{uuid.uuid4().int % 10**10:010d}"
    grantor = uuid.uuid4()
    await Person.insert(
        Person(id=grantor, person_key=f"test {grantor}", given_name="T", family_name="G")
    )
    await Delegation.insert(
        Delegation(
            company_number=number,
            company_name="Test company",
            grantor=grantor,
            grantee_personal_code=grantee_code,
            scopes=scopes,
            valid_until=datetime.now(UTC) + timedelta(days=30),
        )
    )
    return f"company:{number}"


async def test_acting_for_a_company_needs_the_apply_scope(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna")
    anna_code = persona("anna").personal_code
    mail_only = await _delegate(anna_code, "view_mail")
    may_apply = await _delegate(anna_code, "apply")
    try:
        assert error_code(await graphql(http, LIST, {"subject": mail_only})) == "forbidden"
        refused = await data(
            http, SAVE, **{"in": {**residence(uuid.uuid4().hex), "subjectId": mail_only}}
        )
        assert refused["__typename"] == "ForbiddenError"
        saved = await data(
            http,
            SAVE,
            **{
                "in": {
                    "serviceId": "vehicle-owner-change",
                    "key": uuid.uuid4().hex,
                    "answers": [{"field": "sold_on", "value": "2026-11-30"}],
                    "subjectId": may_apply,
                }
            },
        )
        assert saved["__typename"] == "ApplicationSaved"
        assert saved["application"]["subjectId"] == may_apply
        listing = await data(http, LIST, subject=may_apply)
        assert [a["id"] for a in listing["items"]] == [saved["application"]["id"]]
        # Anna's own list does not mix the company's in.
        own = await data(http, LIST)
        assert saved["application"]["id"] not in [a["id"] for a in own["items"]]
        # Acting for the company she may only read mail for, the page shows her own applications.
        switched = await data(http, SWITCH, id=mail_only)
        assert switched["__typename"] != "ForbiddenError", switched
        page = await http.get("/applications", headers=HTML)
        assert page.status_code == 200
        assert saved["application"]["id"] not in page.text
        await data(http, SWITCH, id=(await person_of("anna")).subject_key)
    finally:
        # Anna is a shared persona: leave her as other tests expect her (no company to act for).
        await Delegation.delete().where(
            Delegation.company_number.is_in(
                [mail_only.removeprefix("company:"), may_apply.removeprefix("company:")]
            )
        )


async def test_martins_a_sole_representative_applies_for_ozols_tech(base_url: str) -> None:
    async with (
        httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as martins,
        httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as anna,
    ):
        await login_as(martins, "martins")
        await login_as(anna, "anna")
        draft = await data(
            martins,
            SAVE,
            **{
                "in": {
                    "serviceId": "vehicle-owner-change",
                    "key": uuid.uuid4().hex,
                    "answers": [],
                    "subjectId": OZOLS,
                }
            },
        )
        assert draft["__typename"] == "ApplicationSaved"
        assert error_code(await graphql(anna, ONE, {"id": draft["application"]["id"]})) == (
            "not_found"
        )


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


async def test_the_pages_work_without_javascript(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna")
    listing = await http.get("/applications", headers=HTML)
    assert listing.status_code == 200
    assert "/applications/new/declare-residence" in listing.text
    form = await http.get("/applications/new/declare-residence", headers=HTML)
    assert form.status_code == 200
    assert "Declaration of Residence Law" in form.text
    assert "Handled by: Office of Citizenship and Migration Affairs" in form.text
    assert "From: Population Register" in form.text  # the current address, locked, with source
    fields = {
        "_csrf_token": _hidden(form.text, "_csrf_token"),
        "key": _hidden(form.text, "key"),
        "subject": _hidden(form.text, "subject"),
        "answer-new_address": "Elizabetes iela 2, Rīga",
        "answer-moved_on": "20.11.2026",
        "answer-basis": "tenancy",
        "action": "submit",
    }
    wrong = await http.post("/applications/new/declare-residence", data=fields, headers=HTML)
    assert wrong.status_code == 422
    assert "Enter a date as YYYY-MM-DD" in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert "Elizabetes iela 2, Rīga" in wrong.text  # answers kept
    fields["answer-moved_on"] = "2026-11-20"
    sent = await http.post("/applications/new/declare-residence", data=fields, headers=HTML)
    assert sent.status_code == 303
    case_url = sent.headers["location"]
    assert case_url.startswith("/applications/")
    # The browser's retry of the same form is the same case.
    twice = await http.post("/applications/new/declare-residence", data=fields, headers=HTML)
    assert twice.headers["location"] == case_url
    case = await http.get(case_url, headers=HTML)
    assert case.status_code == 200
    assert "Timeline" in case.text
    assert "Sent" in case.text
    assert "Elizabetes iela 2, Rīga" in case.text
    unknown = await http.get("/applications/new/no-such-service", headers=HTML)
    assert unknown.status_code == 404


async def test_applications_need_a_login(http: httpx.AsyncClient) -> None:
    page = await http.get("/applications", headers=HTML)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/auth/login")
    assert error_code(await graphql(http, LIST)) == "unauthenticated"


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def test_files_go_to_the_attachment_store_and_only_the_owner_gets_them(
    base_url: str,
) -> None:
    async with (
        httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as laura,
        httpx.AsyncClient(base_url=base_url, headers={"Accept-Language": "en"}) as anna,
    ):
        await login_as(laura, "laura")
        await login_as(anna, "anna")
        await forget_applications("laura")
        listing = await data(laura, LIST)
        case_id = next(a["id"] for a in listing["items"] if a["status"] == "PREPARED")
        page = await laura.get(f"/applications/{case_id}", headers=HTML)
        token = _hidden(page.text, "_csrf_token")
        added = await laura.post(
            f"/applications/{case_id}/files",
            data={"_csrf_token": token},
            files={"file": ("izziņa.pdf", PDF, "application/pdf")},
            headers=HTML,
        )
        assert added.status_code == 303
        case = await laura.get(added.headers["location"], headers=HTML)
        assert "The file was added." in case.text
        link = re.search(rf'href="(/applications/{case_id}/attachments/[^"]+)"', case.text)
        assert link
        got = await laura.get(link.group(1))
        assert got.status_code == 200
        assert got.content == PDF
        assert got.headers["content-type"].startswith("application/pdf")
        assert "attachment;" in got.headers["content-disposition"]
        # Someone else's file is not found, like someone else's case.
        assert (await anna.get(link.group(1), headers=HTML)).status_code == 404
        await anna.get("/applications", headers=HTML)
        anna_token = anna.cookies.get("csrftoken", "")
        foreign = await anna.post(
            f"/applications/{case_id}/files",
            data={"_csrf_token": anna_token},
            files={"file": ("x.pdf", PDF, "application/pdf")},
            headers=HTML,
        )
        assert foreign.status_code == 404
        # A file is typed by its content: an executable named .pdf is refused, clearly.
        refused = await laura.post(
            f"/applications/{case_id}/files",
            data={"_csrf_token": token},
            files={"file": ("cert.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64, "application/pdf")},
            headers=HTML,
        )
        assert refused.status_code == 415
        assert "this kind of file is not accepted" in refused.text
