"""Obligations over GraphQL, through real HTTP and real logins at the development provider."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from backend.auth.tables import AuditEvent
from backend.obligations.tables import ObligationMark
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH
from tests.auth_driver import error_code, graphql, login_as

OZOLS = f"company:{OZOLS_TECH.registration_number}"
TIMBER = f"company:{BALTIC_TIMBER.registration_number}"

OVERVIEW = """query($subject: ID, $from: Date, $to: Date) {
  obligations(subjectId: $subject, from: $from, to: $to) {
    subject { id basis }
    today
    obligations { id rule title dueDate statutoryDate amount lateInterest status daysLeft
                  canMarkDone legalDeadline reminderDays acknowledged downloadUrl }
    opportunities { rule title explanation applyBy eligibleBecause { label value } }
    skipped { rule reason source message }
  }
}"""
RESULT = """__typename
  ... on ObligationMarked { obligationId done snoozedUntil acknowledged }
  ... on InvalidInput { code }
  ... on NotFoundError { code }
  ... on ForbiddenError { code }
  ... on StepUpRequired { requiredLevel }"""
DONE = f"mutation($in: ObligationInput!) {{ markObligationDone(input: $in) {{ {RESULT} }} }}"
SNOOZE = (
    "mutation($in: ObligationInput!, $until: Date!) "
    f"{{ snoozeObligation(input: $in, until: $until) {{ {RESULT} }} }}"
)
SEEN = f"mutation($in: ObligationInput!) {{ acknowledgeObligation(input: $in) {{ {RESULT} }} }}"
SWITCH = "mutation($id: ID!) { switchActingAs(subjectId: $id) { __typename } }"

pytestmark = pytest.mark.usefixtures("sandbox_obligations", "idp")


@pytest.fixture(autouse=True)
def english(http: httpx.AsyncClient) -> None:
    """These tests read the English texts; test_rule_texts.py covers the other languages."""
    http.headers["Accept-Language"] = "en"


async def overview(http: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    body = await graphql(http, OVERVIEW, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["obligations"]  # type: ignore[index]
    return result


def by_rule(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["rule"]: item for item in items}


async def mutate(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await graphql(http, query, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]  # type: ignore[assignment]
    return next(iter(data.values()))


async def test_anna_sees_her_obligations_as_herself(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna", "eparaksts")
    seen = await overview(http)
    assert seen["subject"]["basis"] == "SELF"
    assert seen["subject"]["id"].startswith("person:")
    assert seen["today"] == "2026-11-27"
    items = by_rule(seen["obligations"])
    assert {rule: item["dueDate"] for rule, item in items.items()} == {
        "vehicle.inspection": "2026-12-09",
        "identity_document.expiry": "2027-02-10",
        "vehicle.insurance": "2027-04-26",
    }
    inspection = items["vehicle.inspection"]
    assert (inspection["status"], inspection["daysLeft"]) == ("UPCOMING", 12)
    assert (inspection["canMarkDone"], inspection["legalDeadline"]) == (False, True)
    assert inspection["reminderDays"] == [30, 7, 1]
    assert inspection["downloadUrl"] == (
        f"/obligations/{inspection['id']}.ics?subject={seen['subject']['id'].replace(':', '%3A')}"
    )
    assert [o["rule"] for o in seen["opportunities"]] == ["pension.fund_change"]
    assert seen["skipped"] == []


async def test_a_date_range_narrows_the_list(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna", "eparaksts")
    seen = await overview(http, **{"from": "2026-12-01", "to": "2027-01-31"})
    assert [o["rule"] for o in seen["obligations"]] == ["vehicle.inspection"]
    backwards = await graphql(http, OVERVIEW, {"from": "2027-01-31", "to": "2026-12-01"})
    assert error_code(backwards) == "bad_range"


@pytest.mark.parametrize(
    "forged", [OZOLS, "company:99999999999", f"person:{uuid.UUID(int=7)}", "nonsense", ""]
)
async def test_nobody_sees_another_subject_by_naming_it(
    http: httpx.AsyncClient, forged: str
) -> None:
    await login_as(http, "anna", "eparaksts")
    body = await graphql(http, OVERVIEW, {"subject": forged or None})
    if forged:
        assert error_code(body) == "forbidden"
        assert body["data"] is None
    else:
        assert "errors" not in body  # no subject: her own


async def test_what_the_state_confirms_cannot_be_marked_but_can_be_acknowledged(
    http: httpx.AsyncClient,
) -> None:
    await login_as(http, "anna", "eparaksts")
    inspection = by_rule((await overview(http))["obligations"])["vehicle.inspection"]
    ref = {"in": {"id": inspection["id"]}}
    done = await mutate(http, DONE, **ref)
    assert (done["__typename"], done["code"]) == ("InvalidInput", "confirmed_by_state")
    snoozed = await mutate(http, SNOOZE, until="2026-12-01", **ref)
    assert snoozed["code"] == "confirmed_by_state"
    seen = await mutate(http, SEEN, **ref)
    assert (seen["__typename"], seen["acknowledged"], seen["done"]) == (
        "ObligationMarked",
        True,
        False,
    )
    assert by_rule((await overview(http))["obligations"])["vehicle.inspection"]["acknowledged"]


async def test_another_persons_obligation_id_is_not_found(
    http: httpx.AsyncClient, base_url: str
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as martins:
        await login_as(martins, "martins", "eparaksts")
        his = by_rule((await overview(martins))["obligations"])["real_estate_tax.instalment"]
        await graphql(martins, SWITCH, {"id": OZOLS})
        company = (await overview(martins))["obligations"][0]
    await login_as(http, "anna", "eparaksts")
    for forged in (his["id"], company["id"], "vehicle-000000000000000000000000", "x" * 300):
        answer = await mutate(http, DONE, **{"in": {"id": forged}})
        assert (answer["__typename"], answer["code"]) == ("NotFoundError", "not_found")
    answer = await mutate(http, DONE, **{"in": {"id": company["id"], "subjectId": OZOLS}})
    assert (answer["__typename"], answer["code"]) == ("ForbiddenError", "forbidden")


async def test_martins_acting_for_ozols_tech_marks_and_snoozes(http: httpx.AsyncClient) -> None:
    # The company's marks are the company's: start from none (the database outlives runs).
    await ObligationMark.delete().where(ObligationMark.subject_key == OZOLS).run()
    await login_as(http, "martins", "eparaksts")
    await graphql(http, SWITCH, {"id": OZOLS})
    seen = await overview(http)
    assert seen["subject"] == {"id": OZOLS, "basis": "SOLE"}
    items = {o["title"]: o for o in seen["obligations"]}
    vat_return = items["VAT return for Q4 2026"]
    report = items["Employer's report for November 2026"]
    assert (vat_return["dueDate"], vat_return["canMarkDone"]) == ("2027-01-20", True)
    assert items["VAT payment for Q4 2026"]["statutoryDate"] == "2027-01-23"

    done = await mutate(http, DONE, **{"in": {"id": vat_return["id"]}})
    assert (done["__typename"], done["done"]) == ("ObligationMarked", True)
    snoozed = await mutate(http, SNOOZE, until="2026-12-17", **{"in": {"id": report["id"]}})
    assert snoozed["snoozedUntil"] == "2026-12-17"
    titles = {o["title"] for o in (await overview(http))["obligations"]}
    assert "VAT return for Q4 2026" not in titles
    assert "Employer's report for November 2026" not in titles
    assert "VAT payment for Q4 2026" in titles

    payment = items["VAT payment for Q4 2026"]
    late = await mutate(http, SNOOZE, until="2027-02-01", **{"in": {"id": payment["id"]}})
    assert late["code"] == "after_due_date"
    past = await mutate(http, SNOOZE, until="2026-11-27", **{"in": {"id": payment["id"]}})
    assert past["code"] == "not_in_future"
    audited = (
        await AuditEvent.select(AuditEvent.action)
        .where((AuditEvent.subject_key == OZOLS) & (AuditEvent.object_id == vat_return["id"]))
        .run()
    )
    assert {"action": "obligation_done"} in audited


async def test_a_joint_representative_sees_the_company_by_id(http: httpx.AsyncClient) -> None:
    await login_as(http, "martins", "eparaksts")
    seen = await overview(http, subject=TIMBER)
    assert seen["subject"] == {"id": TIMBER, "basis": "JOINT"}
    titles = {o["title"]: o["dueDate"] for o in seen["obligations"]}
    assert titles["VAT return for November 2026"] == "2026-12-21"


async def test_a_weak_login_is_asked_to_step_up_for_a_company(http: httpx.AsyncClient) -> None:
    await login_as(http, "martins", "bank")
    assert error_code(await graphql(http, OVERVIEW, {"subject": OZOLS})) == "step_up_required"
    answer = await mutate(http, DONE, **{"in": {"id": "any", "subjectId": OZOLS}})
    assert answer == {"__typename": "StepUpRequired", "requiredLevel": "SUBSTANTIAL"}
    assert (await overview(http))["subject"]["basis"] == "SELF"  # his own: no step-up needed


async def test_laura_is_told_why_she_sees_each_opportunity(http: httpx.AsyncClient) -> None:
    await login_as(http, "laura", "eparaksts")
    seen = by_rule((await overview(http))["opportunities"])
    birth = seen["family.childbirth_benefit"]
    assert birth["applyBy"] == "2027-05-06"
    assert "Emīls Kalniņš" in birth["explanation"]
    assert {e["label"] for e in birth["eligibleBecause"]} == {"Child", "Born", "Source"}
    card = seen["family.large_family_card"]
    assert {"label": "Children under 18", "value": "3"} in card["eligibleBecause"]
    assert "Population Register" in card["explanation"]


async def test_kristaps_turns_18_and_pierre_hears_what_we_could_not_check(
    http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "kristaps", "eparaksts")
    seen = await overview(http)
    assert [o["title"] for o in seen["opportunities"]] == ["You turn 18 on 21 December 2026"]
    english = {"Accept-Language": "en"}
    async with httpx.AsyncClient(base_url=base_url, headers=english, timeout=10) as pierre:
        await login_as(pierre, "pierre", "eidas")
        his = await overview(pierre)
    assert his["obligations"] == []
    notes = {s["rule"]: s for s in his["skipped"]}
    assert notes["vehicles"]["reason"] == "NOT_APPLICABLE"
    assert notes["vehicles"]["message"].startswith("We could not check")
    # He does not live in Latvia: residents' duties are not even "could not check" notes.
    assert not {"identity_documents", "residence", "turning_18"} & set(notes)


async def test_a_reported_move_brings_the_residence_deadline(http: httpx.AsyncClient) -> None:
    await login_as(http, "valdis", "eparaksts")
    query = (
        "mutation($on: Date!) { reportMove(movedOn: $on) { __typename "
        "... on MoveReported { movedOn } ... on InvalidInput { code field } } }"
    )
    assert (await mutate(http, query, on="2026-12-01"))["code"] == "in_future"
    assert (await mutate(http, query, on="2025-01-01"))["code"] == "too_old"
    assert (await mutate(http, query, on="2026-11-01"))["movedOn"] == "2026-11-01"
    residence = by_rule((await overview(http))["obligations"])["residence.declare"]
    assert (residence["dueDate"], residence["canMarkDone"]) == ("2026-12-01", False)


async def test_seasonal_highlights_follow_the_date(http: httpx.AsyncClient) -> None:
    query = "query($on: Date) { seasonalHighlights(on: $on) { id ends } }"
    spring = await graphql(http, query, {"on": "2026-05-05"})
    assert spring["data"]["seasonalHighlights"] == [  # type: ignore[index]
        {"id": "income-declaration-2026", "ends": "2026-06-01"},
        {"id": "real-estate-tax-2026-2", "ends": "2026-05-15"},
    ]
    summer = await graphql(http, query, {"on": "2026-07-01"})
    assert [h["id"] for h in summer["data"]["seasonalHighlights"]] == ["study-applications-2026"]  # type: ignore[index]
    today = await graphql(http, query)
    assert today["data"]["seasonalHighlights"] == []  # type: ignore[index]


async def test_obligations_need_a_login(http: httpx.AsyncClient) -> None:
    assert error_code(await graphql(http, OVERVIEW)) == "unauthenticated"
