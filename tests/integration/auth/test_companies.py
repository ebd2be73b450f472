"""Acting for companies: representation from the Enterprise Register, delegations, and that
nobody reaches a company (or a delegation) they have no right to by sending its id."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from backend.auth.representations import STORE_NAME as ROLES_STORE
from backend.auth.representations import key_for
from backend.auth.tables import AuditEvent, Delegation
from backend.lib.identifiers import make_personal_code
from backend.services import Services
from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, persona
from tests.auth_driver import error_code, graphql, login_as, pick
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

OZOLS = f"company:{OZOLS_TECH.registration_number}"
TIMBER = f"company:{BALTIC_TIMBER.registration_number}"

SUBJECTS = "{ me { subjects { id name basis scopes } companiesUnavailable } }"
SWITCH = """mutation($id: ID!) { switchActingAs(subjectId: $id) {
  __typename
  ... on ActingAsSwitched { subject { id basis } }
  ... on StepUpRequired { requiredLevel loginUrl }
  ... on ForbiddenError { code }
} }"""
GRANT = """mutation($input: GrantDelegationInput!) { grantDelegation(input: $input) {
  __typename
  ... on DelegationGranted { delegation { id status scopes companyName granteeName } }
  ... on InvalidInput { code }
  ... on ForbiddenError { code }
  ... on StepUpRequired { requiredLevel }
} }"""
REVOKE = """mutation($id: ID!) { revokeDelegation(id: $id) {
  __typename
  ... on DelegationRevoked { delegation { status revokedAt } }
  ... on NotFoundError { code }
} }"""


async def age_roles(services: Services, personal_code: str, *, hours: int) -> datetime:
    """Make the person's kept company roles `hours` old (no longer fresh); their new time."""
    store = services.stores.store(ROLES_STORE)
    raw = await store.get(key_for(personal_code))
    assert raw is not None
    entry = json.loads(raw)
    fetched_at = datetime.fromisoformat(entry["fetched_at"]) - timedelta(hours=hours)
    entry["fetched_at"] = fetched_at.isoformat()
    await store.set(key_for(personal_code), json.dumps(entry))
    return fetched_at


def stranger_code() -> str:
    """A valid personal code of someone who is in no test's way."""
    return make_personal_code(date(1980, 1, 1) + timedelta(days=uuid.uuid4().int % 9000), 300)


def grant_input(company: str, grantee: str, scopes: list[str], days: int = 30) -> dict[str, object]:
    until = datetime.now(UTC) + timedelta(days=days)
    return {
        "input": {
            "companyRegistrationNumber": company,
            "granteePersonalCode": grantee,
            "scopes": scopes,
            "validUntil": until.isoformat(),
        }
    }


async def subjects(browser: httpx.AsyncClient) -> dict[str, dict[str, object]]:
    body = await graphql(browser, SUBJECTS)
    return {s["id"]: s for s in body["data"]["me"]["subjects"]}  # type: ignore[index]


async def test_board_member_sees_sole_and_joint_companies(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    mine = await subjects(http)
    assert mine[OZOLS]["basis"] == "SOLE"
    assert set(mine[OZOLS]["scopes"]) == {  # type: ignore[arg-type]
        "VIEW_MAIL",
        "SEND_MAIL",
        "OBLIGATIONS",
        "MANAGE_DELEGATIONS",
    }
    assert mine[TIMBER]["basis"] == "JOINT"
    assert set(mine[TIMBER]["scopes"]) == {"VIEW_MAIL", "OBLIGATIONS"}  # type: ignore[arg-type]
    switched = await graphql(http, SWITCH, {"id": OZOLS})
    assert switched["data"]["switchActingAs"]["subject"] == {"id": OZOLS, "basis": "SOLE"}  # type: ignore[index]
    acting = await graphql(http, "{ me { actingAs { id name } } }")
    assert acting["data"]["me"]["actingAs"] == {"id": OZOLS, "name": "Ozols Tech SIA"}  # type: ignore[index]


async def test_a_weak_login_is_offered_a_step_up_not_an_error(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "bank")
    answer = (await graphql(http, SWITCH, {"id": OZOLS}))["data"]["switchActingAs"]  # type: ignore[index]
    assert answer["__typename"] == "StepUpRequired"
    assert answer["requiredLevel"] == "SUBSTANTIAL"
    assert answer["loginUrl"] == "/auth/step-up?level=substantial&next=/"
    explained = await http.get(answer["loginUrl"])
    assert explained.status_code == 200  # says why and which methods qualify, then…
    assert "eParaksts" in explained.text
    step_up = await http.get("/auth/login?level=substantial&next=/")
    assert step_up.status_code == 302
    authorize = httpx.URL(step_up.headers["location"])
    assert "http://eidas.europa.eu/LoA/substantial" in authorize.params["acr_values"]
    assert authorize.params["prompt"] == "login"
    picker = await http.get(str(authorize))
    assert (
        "bank"
        not in {  # the provider no longer offers the weak method
            value for value in picker.text.split('value="')[1:] if value.startswith("bank")
        }
    )
    callback = await pick(http, picker, "martins", "eparaksts")
    assert (await http.get(str(callback))).status_code in (302, 303)
    answer = (await graphql(http, SWITCH, {"id": OZOLS}))["data"]["switchActingAs"]  # type: ignore[index]
    assert answer["__typename"] == "ActingAsSwitched"


@pytest.mark.parametrize(
    "forged", [OZOLS, "company:99999999999", "person:" + str(uuid.UUID(int=7)), "nonsense"]
)
async def test_nobody_acts_for_a_company_or_person_by_naming_its_id(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, forged: str
) -> None:
    await login_as(http, "anna", "eparaksts")
    answer = (await graphql(http, SWITCH, {"id": forged}))["data"]["switchActingAs"]  # type: ignore[index]
    assert answer == {"__typename": "ForbiddenError", "code": "forbidden"}
    acting = await graphql(http, "{ me { actingAs { basis } } }")
    assert acting["data"]["me"]["actingAs"]["basis"] == "SELF"  # type: ignore[index]


async def test_delegation_lifecycle_is_visible_to_both_sides_and_audited(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, base_url: str
) -> None:
    ilze = persona("ilze")
    await login_as(http, "martins", "eparaksts")
    granted = await graphql(
        http,
        GRANT,
        grant_input(
            OZOLS_TECH.registration_number, ilze.personal_code or "", ["VIEW_MAIL", "OBLIGATIONS"]
        ),
    )
    delegation = granted["data"]["grantDelegation"]["delegation"]  # type: ignore[index]
    assert delegation["status"] == "ACTIVE"
    assert delegation["companyName"] == "Ozols Tech SIA"
    given = await graphql(http, "{ me { delegationsGiven { id } } }")
    assert {"id": delegation["id"]} in given["data"]["me"]["delegationsGiven"]  # type: ignore[index]

    async with httpx.AsyncClient(base_url=base_url) as accountant:
        await login_as(accountant, "ilze", "eid_card")
        received = await graphql(accountant, "{ me { delegationsReceived { id grantorName } } }")
        assert {"id": delegation["id"], "grantorName": "Mārtiņš Ozols"} in received["data"]["me"][  # type: ignore[index]
            "delegationsReceived"
        ]
        theirs = await subjects(accountant)
        assert theirs[OZOLS]["basis"] == "DELEGATED"
        switched = await graphql(accountant, SWITCH, {"id": OZOLS})
        assert switched["data"]["switchActingAs"]["__typename"] == "ActingAsSwitched"  # type: ignore[index]

        revoked = await graphql(http, REVOKE, {"id": delegation["id"]})
        assert revoked["data"]["revokeDelegation"]["delegation"]["status"] == "REVOKED"  # type: ignore[index]
        after = await graphql(accountant, SWITCH, {"id": OZOLS})
        # Ilze may hold other delegations for Ozols Tech from other tests; this one is gone.
        still = await subjects(accountant)
        if OZOLS in still:
            assert after["data"]["switchActingAs"]["__typename"] == "ActingAsSwitched"  # type: ignore[index]
        else:
            assert after["data"]["switchActingAs"]["__typename"] == "ForbiddenError"  # type: ignore[index]

    actions = [
        row["action"]
        for row in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_id == delegation["id"]
        )
    ]
    assert sorted(actions) == ["delegation_granted", "delegation_revoked", "delegation_used"]


async def test_joint_representatives_and_strangers_cannot_grant(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "martins", "eparaksts")
    joint = await graphql(
        http, GRANT, grant_input(BALTIC_TIMBER.registration_number, stranger_code(), ["VIEW_MAIL"])
    )
    assert joint["data"]["grantDelegation"]["__typename"] == "ForbiddenError"  # type: ignore[index]
    async with httpx.AsyncClient(base_url=base_url) as anna:
        await login_as(anna, "anna", "eparaksts")
        stranger = await graphql(
            anna, GRANT, grant_input(OZOLS_TECH.registration_number, stranger_code(), ["VIEW_MAIL"])
        )
        assert stranger["data"]["grantDelegation"]["__typename"] == "ForbiddenError"  # type: ignore[index]


@pytest.mark.parametrize(
    ("grantee", "scopes", "days", "code"),
    [
        ("150385-11029", ["VIEW_MAIL"], 30, "invalid_personal_code"),
        ("020678-12054", ["VIEW_MAIL"], 30, "self_delegation"),
        (None, [], 30, "no_scopes"),
        (None, ["VIEW_MAIL"], -1, "invalid_validity"),
        (None, ["VIEW_MAIL"], 4 * 365, "invalid_validity"),
    ],
)
async def test_invalid_grants_say_why(
    idp: RunningIdP,
    registry_sandbox: Sandbox,
    http: httpx.AsyncClient,
    grantee: str | None,
    scopes: list[str],
    days: int,
    code: str,
) -> None:
    await login_as(http, "martins", "eparaksts")
    answer = await graphql(
        http,
        GRANT,
        grant_input(OZOLS_TECH.registration_number, grantee or stranger_code(), scopes, days),
    )
    assert answer["data"]["grantDelegation"] == {"__typename": "InvalidInput", "code": code}  # type: ignore[index]


async def test_a_delegate_passes_on_only_what_they_hold(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, services: Services
) -> None:
    ilze = persona("ilze")
    await login_as(http, "martins", "eparaksts")
    await graphql(
        http,
        GRANT,
        grant_input(
            OZOLS_TECH.registration_number,
            ilze.personal_code or "",
            ["VIEW_MAIL", "MANAGE_DELEGATIONS"],
            days=10,
        ),
    )
    async with httpx.AsyncClient(base_url=str(http.base_url)) as accountant:
        await login_as(accountant, "ilze", "eid_card")
        too_much = await graphql(
            accountant,
            GRANT,
            grant_input(OZOLS_TECH.registration_number, stranger_code(), ["SEND_MAIL"], days=5),
        )
        too_long = await graphql(
            accountant,
            GRANT,
            grant_input(OZOLS_TECH.registration_number, stranger_code(), ["VIEW_MAIL"], days=900),
        )
        fine = await graphql(
            accountant,
            GRANT,
            grant_input(OZOLS_TECH.registration_number, stranger_code(), ["VIEW_MAIL"], days=5),
        )
    # Ilze may also hold broader delegations from other tests; SEND_MAIL was never granted.
    assert too_much["data"]["grantDelegation"]["__typename"] == "InvalidInput"  # type: ignore[index]
    assert too_long["data"]["grantDelegation"]["__typename"] == "InvalidInput"  # type: ignore[index]
    assert fine["data"]["grantDelegation"]["__typename"] == "DelegationGranted"  # type: ignore[index]


async def test_an_expired_delegation_grants_nothing(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, services: Services
) -> None:
    laura = persona("laura")  # holds no other delegation in the suite
    await Delegation.insert(
        Delegation(
            company_number=OZOLS_TECH.registration_number,
            company_name="Ozols Tech SIA",
            grantor=(await _person_id("martins")),
            grantee_personal_code=laura.personal_code,
            scopes="view_mail",
            valid_from=datetime.now(UTC) - timedelta(days=40),
            valid_until=datetime.now(UTC) - timedelta(days=10),
        )
    ).run()
    await login_as(http, "laura", "eparaksts")
    assert OZOLS not in await subjects(http)
    answer = await graphql(http, SWITCH, {"id": OZOLS})
    assert answer["data"]["switchActingAs"]["__typename"] == "ForbiddenError"  # type: ignore[index]
    received = await graphql(http, "{ me { delegationsReceived { status } } }")
    assert {"status": "EXPIRED"} in received["data"]["me"]["delegationsReceived"]  # type: ignore[index]


async def _person_id(slug: str) -> uuid.UUID:
    from backend.auth.people import find_by_personal_code

    record = await find_by_personal_code(persona(slug).personal_code or "")
    assert record is not None, f"{slug} must have logged in earlier in this test module"
    return record.id


async def test_others_cannot_revoke_or_see_a_delegation(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "martins", "eparaksts")
    granted = await graphql(
        http, GRANT, grant_input(OZOLS_TECH.registration_number, stranger_code(), ["VIEW_MAIL"])
    )
    delegation_id = granted["data"]["grantDelegation"]["delegation"]["id"]  # type: ignore[index]
    async with httpx.AsyncClient(base_url=base_url) as anna:
        await login_as(anna, "anna", "eparaksts")
        for target in (delegation_id, str(uuid.uuid4()), "not-a-uuid"):
            answer = await graphql(anna, REVOKE, {"id": target})
            assert answer["data"]["revokeDelegation"] == {  # type: ignore[index]
                "__typename": "NotFoundError",
                "code": "not_found",
            }
        given = await graphql(anna, "{ me { delegationsGiven { id } } }")
        assert {"id": delegation_id} not in given["data"]["me"]["delegationsGiven"]  # type: ignore[index]
    still = await graphql(http, "{ me { delegationsGiven { id status } } }")
    assert {"id": delegation_id, "status": "ACTIVE"} in still["data"]["me"]["delegationsGiven"]  # type: ignore[index]


async def test_register_outage_keeps_self_and_says_companies_are_unavailable(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, services: Services
) -> None:
    edgars = persona("edgars").personal_code or ""
    await services.stores.store(ROLES_STORE).delete(key_for(edgars))  # nothing known about him
    await registry_sandbox.fault("enterprise_register", down=True)
    try:
        await login_as(http, "edgars", "eparaksts")
        body = await graphql(http, SUBJECTS)
    finally:
        await registry_sandbox.admin.post("/admin/reset")
    me = body["data"]["me"]  # type: ignore[index]
    assert me["companiesUnavailable"] is True
    assert [s["basis"] for s in me["subjects"]] == ["SELF"]
    assert error_code(body) is None


async def test_register_outage_falls_back_to_the_last_known_roles(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient, services: Services
) -> None:
    await login_as(http, "martins", "eparaksts")
    assert OZOLS in await subjects(http)  # known now
    as_of = await age_roles(services, persona("martins").personal_code or "", hours=1)
    await registry_sandbox.fault("enterprise_register", down=True)
    try:
        mine = await subjects(http)
        me = (await graphql(http, "{ me { companiesUnavailable companiesAsOf } }"))["data"]["me"]  # type: ignore[index]
    finally:
        await registry_sandbox.admin.post("/admin/reset")
    assert mine[OZOLS]["basis"] == "SOLE"
    assert me == {"companiesUnavailable": False, "companiesAsOf": as_of.isoformat()}
