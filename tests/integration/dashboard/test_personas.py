"""The person dashboard over GraphQL for several personas, through a real login, against the
registry sandbox: what each registry says arrives, source by source."""

from __future__ import annotations

from datetime import timedelta

import httpx

from integrations.devstack.personas import persona
from tests.auth_driver import graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.dashboard.queries import PERSON, by_source, dashboard
from tests.sandbox_driver import TODAY, Sandbox

SOURCES = {
    "POPULATION_REGISTER",
    "SSIA",
    "NHS",
    "CSDD",
    "LAND_SERVICE",
    "SRS",
    "MUNICIPALITIES",
    "ENTERPRISE_REGISTER",
}


async def test_anna_sees_who_is_declared_at_her_apartment(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "anna", "eparaksts")
    board = dashboard(await graphql(http, PERSON))
    assert board["__typename"] == "PersonDashboard"
    acting = await graphql(http, "{ me { actingAs { id } } }")
    assert board["subjectId"] == acting["data"]["me"]["actingAs"]["id"]  # type: ignore[index]
    statuses = by_source(board)
    assert set(statuses) == SOURCES
    assert {s["status"] for s in statuses.values()} == {"OK"}
    assert all(s["asOf"] and s["explanation"] is None for s in statuses.values())
    declared = {p["name"]: p for p in board["declaredAtMyProperties"]}  # type: ignore[union-attr]
    assert set(declared) == {"Jānis Bērziņš", "Olga Petrova"}
    olga = declared["Olga Petrova"]
    assert olga["propertyAddress"] == "Brīvības iela 1-5, Rīga, LV-1010"
    assert olga["declaredOn"] == (TODAY - timedelta(days=9)).isoformat()
    assert olga["legalBasis"] == "lease"
    assert olga["personalCode"].count("*") == 0  # owners see declared persons' codes in full
    assert board["declaredAddress"] == {
        "address": "Brīvības iela 1-5, Rīga, LV-1010",
        "declaredSince": "2016-08-01",
    }
    passport = next(d for d in board["identityDocuments"] if d["type"] == "PASSPORT")  # type: ignore[union-attr]
    assert passport["validUntil"] == (TODAY + timedelta(days=75)).isoformat()
    assert board["familyDoctor"]["doctorName"] == "Inga Kalēja"  # type: ignore[index]
    assert board["vehicles"] == [
        {
            "plate": "KA-1234",
            "technicalInspectionDue": (TODAY + timedelta(days=12)).isoformat(),
            "insuranceValidUntil": (TODAY + timedelta(days=150)).isoformat(),
        }
    ]
    assert board["drivingLicence"]["categories"] == ["B"]  # type: ignore[index]
    [home] = board["properties"]  # type: ignore[misc]
    assert (home["kind"], home["share"], home["manager"]) == (
        "APARTMENT",
        "1/1",
        {"name": "Namu serviss Centrs SIA"},
    )
    assert board["pension"]["fundManager"].startswith("Swedbank")  # type: ignore[index]
    assert board["taxAccount"] == {"balance": "0.00", "currency": "EUR"}
    assert board["children"] == []
    assert board["companies"] == []


async def test_laura_sees_her_three_children_newborn_first(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "laura", "eid_card")
    board = dashboard(await graphql(http, PERSON))
    children = board["children"]
    assert [c["name"] for c in children] == ["Emīls Kalniņš", "Roberts Kalniņš", "Marta Kalniņa"]  # type: ignore[union-attr]
    assert children[0]["birthDate"] == (TODAY - timedelta(days=21)).isoformat()  # type: ignore[index]
    assert board["vehicles"][0]["technicalInspectionDue"] < TODAY.isoformat()  # type: ignore[index]
    assert board["properties"] == []


async def test_zane_has_nothing_in_any_registry_and_that_is_not_a_failure(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "zane", "eparaksts")
    board = dashboard(await graphql(http, PERSON))
    assert {s["status"] for s in by_source(board).values()} == {"OK"}
    for single in ("declaredAddress", "pension", "familyDoctor", "drivingLicence", "taxAccount"):
        assert board[single] is None, single
    for collection in ("declaredAtMyProperties", "identityDocuments", "children", "vehicles"):
        assert board[collection] == [], collection
    assert board["properties"] == []
    assert board["companies"] == []


async def test_pierre_without_a_personal_code_gets_not_applicable_and_why(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    before = await sandbox.stats()
    await login_as(http, "pierre", "eidas")
    board = dashboard(await graphql(http, PERSON))
    for name, state in by_source(board).items():
        assert state["status"] == "NOT_APPLICABLE", name
        assert state["reason"] == "no_personal_code"
        assert "personal code" in str(state["explanation"])
        assert state["asOf"] is None
    assert board["declaredAtMyProperties"] is None
    assert board["pension"] is None
    assert (await sandbox.stats())["requests"] == before["requests"]  # nobody was asked


async def test_martins_sees_his_companies_on_his_own_dashboard(
    idp: RunningIdP, sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    board = dashboard(await graphql(http, PERSON))
    roles = {r["company"]["name"]: (r["role"], r["representation"]) for r in board["companies"]}  # type: ignore[union-attr]
    assert roles == {
        "Ozols Tech": ("BOARD_MEMBER", "SOLE"),
        "Baltic Timber": ("BOARD_MEMBER", "JOINT"),
    }
    assert persona("martins").personal_code


async def test_the_dashboard_needs_a_login(
    registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    body = await graphql(http, PERSON)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"  # type: ignore[index]
