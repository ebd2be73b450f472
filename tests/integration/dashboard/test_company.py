"""The company dashboard for those who act for a company, and nobody else: forged session
state, another company's id and too weak a login reach no company data."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from backend.auth.people import find_by_personal_code
from backend.services import Services
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, persona
from tests.auth_driver import graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.dashboard.queries import (
    ACCESS,
    COMPANY,
    PERSON,
    REFRESH,
    by_source,
    dashboard,
)
from tests.sandbox_driver import Sandbox

OZOLS = f"company:{OZOLS_TECH.registration_number}"
TIMBER = f"company:{BALTIC_TIMBER.registration_number}"
MARTINS = persona("martins").personal_code or ""
SWITCH = """mutation($id: ID!) { switchActingAs(subjectId: $id) { __typename } }"""
REVOKE = """mutation($id: ID!) { revokeDelegation(id: $id) { __typename } }"""
GRANT = """mutation($input: GrantDelegationInput!) { grantDelegation(input: $input) {
  __typename ... on DelegationGranted { delegation { id } } } }"""


async def test_martins_acting_for_ozols_tech_sees_its_facts_and_officers(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    switched = await graphql(http, SWITCH, {"id": OZOLS})
    assert switched["data"]["switchActingAs"]["__typename"] == "ActingAsSwitched"  # type: ignore[index]
    board = dashboard(await graphql(http, COMPANY))
    assert board["__typename"] == "CompanyDashboard"
    assert (board["subjectId"], board["name"]) == (OZOLS, "Ozols Tech SIA")
    assert {s["name"]: s["status"] for s in by_source(board).values()} == {
        "ENTERPRISE_REGISTER": "OK",
        "SRS": "OK",
    }
    assert board["company"] == {
        "registrationNumber": OZOLS_TECH.registration_number,
        "name": "Ozols Tech",
        "legalForm": "SIA",
        "status": "ACTIVE",
        "address": "Ganību dambis 17A, Rīga, LV-1045",
        "sizeClass": "MICRO",
        "employees": 6,
        "financialYearEnd": "12-31",
    }
    assert board["officers"] == [
        {
            "name": "Mārtiņš Ozols",
            "role": "BOARD_MEMBER",
            "representation": "SOLE",
            "personalCode": MARTINS,  # his own code, in full
        }
    ]
    assert board["taxStatus"] == {
        "vatPayer": True,
        "vatNumber": f"LV{OZOLS_TECH.registration_number}",
        "vatPeriod": "QUARTERLY",
        "employer": True,
        "taxAccountBalance": "0.00",
    }


async def test_other_officers_personal_codes_are_masked(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    board = dashboard(await graphql(http, COMPANY, {"subject": TIMBER}))
    # When the register did not answer, say which source failed and how (CI once saw None).
    assert board.get("officers") is not None, board
    codes = {o["name"]: o["personalCode"] for o in board["officers"]}  # type: ignore[union-attr]
    edgars = persona("edgars").personal_code or ""
    assert codes["Edgars Liepa"] == edgars[:7] + "*****"
    assert codes["Rūta Zariņa"].endswith("-*****")
    assert codes["Mārtiņš Ozols"] == MARTINS


async def _session(http: httpx.AsyncClient, services: Services) -> tuple[str, object]:
    session_id = http.cookies.get(services.auth.cookies.session) or ""
    session = await services.auth.sessions.load(session_id)
    assert session is not None
    return session_id, session


@pytest.mark.parametrize(
    "forged", [OZOLS, "company:99999999999", f"person:{uuid.UUID(int=7)}", "nonsense"]
)
async def test_a_forged_acting_as_in_the_session_reaches_nothing(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient, services: Services, forged: str
) -> None:
    await login_as(http, "anna", "eparaksts")
    session_id, session = await _session(http, services)
    await services.auth.sessions.update(session_id, replace(session, acting_as=forged))  # type: ignore[type-var]
    await graphql(http, "{ me { subjects { id } } }")  # representation rights, asked for login
    before = await sandbox.stats()
    for query in (COMPANY, PERSON):
        board = dashboard(await graphql(http, query))
        assert (board["__typename"], board["code"]) == ("ForbiddenError", "forbidden")
    assert (await sandbox.stats())["requests"] == before["requests"]


@pytest.mark.parametrize(
    ("who", "subject"),
    [
        ("anna", OZOLS),
        ("martins", "company:99999999999"),
        ("edgars", OZOLS),  # an officer of another company
        ("anna", "person:" + str(uuid.UUID(int=9))),
    ],
)
async def test_another_subjects_id_gives_forbidden(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient, who: str, subject: str
) -> None:
    await login_as(http, who, "eparaksts")
    board = dashboard(await graphql(http, COMPANY, {"subject": subject}))
    assert board["__typename"] == "ForbiddenError"


async def test_someone_elses_person_dashboard_is_forbidden(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    anna = await find_by_personal_code(persona("anna").personal_code or "")
    assert anna is not None
    board = dashboard(await graphql(http, PERSON, {"subject": anna.subject_key}))
    assert board["__typename"] == "ForbiddenError"


async def test_a_weak_login_is_offered_a_step_up_for_a_company(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "bank")
    board = dashboard(await graphql(http, COMPANY, {"subject": OZOLS}))
    assert board == {"__typename": "StepUpRequired", "requiredLevel": "SUBSTANTIAL"}


async def grant(http: httpx.AsyncClient, grantee: str, scopes: list[str]) -> str:
    until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    granted = await graphql(
        http,
        GRANT,
        {
            "input": {
                "companyRegistrationNumber": OZOLS_TECH.registration_number,
                "granteePersonalCode": persona(grantee).personal_code,
                "scopes": scopes,
                "validUntil": until,
            }
        },
    )
    assert granted["data"]["grantDelegation"]["__typename"] == "DelegationGranted"  # type: ignore[index]
    delegation_id: str = granted["data"]["grantDelegation"]["delegation"]["id"]  # type: ignore[index]
    return delegation_id


async def revoke(http: httpx.AsyncClient, delegation_id: str) -> None:
    """Leave no delegation behind: the database may outlive this run."""
    revoked = await graphql(http, REVOKE, {"id": delegation_id})
    assert revoked["data"]["revokeDelegation"]["__typename"] == "DelegationRevoked"  # type: ignore[index]


async def test_a_delegates_reads_are_logged_and_shown_to_the_officer(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "martins", "eparaksts")
    delegation_id = await grant(http, "ilze", ["VIEW_MAIL", "OBLIGATIONS"])
    try:
        async with httpx.AsyncClient(base_url=base_url) as accountant:
            await login_as(accountant, "ilze", "eid_card")
            await graphql(accountant, SWITCH, {"id": OZOLS})
            refreshed = await graphql(accountant, REFRESH)
            assert refreshed["data"]["refreshDashboard"]["__typename"] == "DashboardRefreshed"  # type: ignore[index]
            board = dashboard(await graphql(accountant, COMPANY))
            assert board["company"]["name"] == "Ozols Tech"  # type: ignore[index]
    finally:
        await revoke(http, delegation_id)
    await graphql(http, SWITCH, {"id": OZOLS})
    await graphql(http, REFRESH)  # Mārtiņš reads it himself, as its board member
    ilze = await find_by_personal_code(persona("ilze").personal_code or "")
    martins = await find_by_personal_code(MARTINS)
    assert ilze is not None
    assert martins is not None
    log = await graphql(http, ACCESS, {"first": 4})
    entries = log["data"]["me"]["dashboard"]["dataAccess"]["entries"]  # type: ignore[index]
    newest_first = [(e["onBehalf"], e["actorId"], e["actorName"]) for e in entries]
    assert (
        newest_first
        == [("REPRESENTATIVE", str(martins.id), "Mārtiņš Ozols")] * 2
        + [("DELEGATE", str(ilze.id), "Ilze Liepiņa")] * 2
    )
    for pair in (entries[:2], entries[2:]):
        assert {e["source"] for e in pair} == {"ENTERPRISE_REGISTER", "SRS"}
        assert {(e["purpose"], e["outcome"]) for e in pair} == {("dashboard_refresh", "ok")}


async def test_a_delegate_without_manage_delegations_does_not_see_who_read_the_data(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "martins", "eparaksts")
    delegation_id = await grant(http, "laura", ["VIEW_MAIL", "OBLIGATIONS"])
    try:
        async with httpx.AsyncClient(base_url=base_url) as delegate:
            await login_as(delegate, "laura", "eid_card")
            await graphql(delegate, SWITCH, {"id": OZOLS})
            board = dashboard(await graphql(delegate, COMPANY))
            hidden = await graphql(delegate, ACCESS, {"first": 5})
    finally:
        await revoke(http, delegation_id)
    assert board["__typename"] == "CompanyDashboard"
    assert hidden["errors"][0]["extensions"]["code"] == "forbidden"  # type: ignore[index]
