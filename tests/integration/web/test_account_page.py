"""The account page: read through GraphQL in-process, write through forms (no JavaScript)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import login_as
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

HTML = {"accept": "text/html"}


async def csrf(browser: httpx.AsyncClient) -> str:
    if "csrftoken" not in browser.cookies:
        await browser.get("/", headers=HTML)
    return browser.cookies.get("csrftoken", "")


async def test_account_page_needs_a_login(http: httpx.AsyncClient) -> None:
    page = await http.get("/account", headers=HTML)
    assert page.status_code == 303
    assert page.headers["location"] == "/auth/login?next=/account"
    api = await http.get("/account", headers={"accept": "application/json"})
    assert api.status_code == 401


async def test_account_page_lists_companies_and_switches_acting_as(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    page = await http.get("/account", headers=HTML)
    assert page.status_code == 200
    assert "Ozols Tech SIA" in page.text
    assert "Baltic Timber AS" in page.text
    assert page.headers["cache-control"] == "no-store"
    switched = await http.post(
        "/account/acting-as",
        data={
            "_csrf_token": await csrf(http),
            "subject_id": f"company:{OZOLS_TECH.registration_number}",
            "next": "https://evil.example/",
        },
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == "/"  # an off-site next is never followed


async def test_granting_and_ending_a_delegation_through_forms(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    token = await csrf(http)
    until = (date.today() + timedelta(days=20)).isoformat()
    bad = await http.post(
        "/account/delegations",
        data={
            "_csrf_token": token,
            "company": OZOLS_TECH.registration_number,
            "personal_code": "not-a-code",
            "scope": "VIEW_MAIL",
            "valid_until": until,
        },
    )
    assert bad.headers["location"] == "/account?notice=invalid_personal_code"
    shown = await http.get(bad.headers["location"], headers=HTML)
    assert 'role="status"' in shown.text
    good = await http.post(
        "/account/delegations",
        data={
            "_csrf_token": token,
            "company": OZOLS_TECH.registration_number,
            "personal_code": "211192-16144",  # Laura
            "scope": ["VIEW_MAIL", "OBLIGATIONS"],
            "valid_until": until,
        },
    )
    assert good.headers["location"] == "/account?notice=granted"
    page = await http.get("/account", headers=HTML)
    assert "Laura Kalniņa" in page.text or "211192-16144" in page.text
    revoke_action = page.text.split('action="/account/delegations/')[1].split('"')[0]
    ended = await http.post(f"/account/delegations/{revoke_action}", data={"_csrf_token": token})
    assert ended.headers["location"] == "/account?notice=revoked"


async def test_forms_without_a_csrf_token_are_refused(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "eparaksts")
    refused = await http.post(
        "/account/acting-as", data={"subject_id": f"company:{OZOLS_TECH.registration_number}"}
    )
    assert refused.status_code == 403


async def test_a_bank_login_sees_its_account_and_is_asked_to_step_up_for_company_delegations(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    await login_as(http, "martins", "bank")
    page = await http.get("/account", headers=HTML)
    assert page.status_code == 200
    assert "Ozols Tech SIA" in page.text  # whom they may act for is their own business…
    # …but the companies' delegations need the login acting for a company needs.
    assert "/auth/step-up?level=substantial&amp;next=/account" in page.text
    assert 'action="/account/delegations/' not in page.text
    switched = await http.post(
        "/account/acting-as",
        data={
            "_csrf_token": await csrf(http),
            "subject_id": f"company:{OZOLS_TECH.registration_number}",
        },
    )
    # The switch waits server-side behind the step-up page (finished after the login).
    assert switched.headers["location"].startswith(
        "/auth/step-up?level=substantial&next=/account/acting-as/resume/"
    )
    granted = await http.post(
        "/account/delegations",
        data={
            "_csrf_token": await csrf(http),
            "company": OZOLS_TECH.registration_number,
            "personal_code": "211192-16144",
            "scope": "VIEW_MAIL",
            "valid_until": (date.today() + timedelta(days=20)).isoformat(),
        },
    )
    assert granted.headers["location"] == "/auth/step-up?level=substantial&next=/account"
