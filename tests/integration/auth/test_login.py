"""Logging in through the development identity provider, over real HTTP, and every refusal.

Each refusal must leave the browser without a session: the `me` query then answers
`unauthenticated`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from backend.auth.people import find_by_personal_code
from integrations.devstack.personas import persona
from tests.auth_driver import error_code, graphql, login_as, logout, pick, start_login
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import TODAY

ME = "{ me { name personalCode eidasId assuranceLevel actingAs { id basis } } }"


async def me(browser: httpx.AsyncClient) -> dict[str, object]:
    return await graphql(browser, ME)


@pytest.fixture
async def idp_faults(idp: RunningIdP, http: httpx.AsyncClient) -> AsyncIterator[RunningIdP]:
    """The shared provider, with every fault disarmed afterwards whatever the test did."""
    yield idp
    await http.delete(idp.endpoint("faults"))


async def arm(http: httpx.AsyncClient, idp: RunningIdP, fault: str) -> None:
    response = await http.post(idp.endpoint("faults"), json={"fault": fault})
    assert response.status_code == 200, response.text


async def test_full_login_creates_a_server_side_session(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    answer = await login_as(http, "anna", "eparaksts", next_path="/mail")
    assert answer.status_code in (302, 303)
    assert answer.headers["location"] == "/mail"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("vienuviet="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Path=/" in cookie
    # Only an opaque id reaches the browser: no tokens, no claims.
    session_id = http.cookies.get("vienuviet")
    assert session_id is not None
    assert "." not in session_id  # not a JWT
    body = await me(http)
    assert body["data"] == {
        "me": {
            "name": "Anna Bērziņa",
            "personalCode": "150385-11028",
            "eidasId": None,
            "assuranceLevel": "HIGH",
            "actingAs": {"id": body["data"]["me"]["actingAs"]["id"], "basis": "SELF"},  # type: ignore[index]
        }
    }


async def test_eidas_login_without_a_personal_code(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    await login_as(http, "pierre", "eidas")
    data = (await me(http))["data"]["me"]  # type: ignore[index]
    assert data["name"] == "Pierre Dubois"
    assert data["personalCode"] is None
    assert data["eidasId"].startswith("FR/LV/")
    assert data["assuranceLevel"] == "SUBSTANTIAL"


async def test_bank_login_is_low_assurance(idp: RunningIdP, http: httpx.AsyncClient) -> None:
    await login_as(http, "anna", "bank")
    assert (await me(http))["data"]["me"]["assuranceLevel"] == "LOW"  # type: ignore[index]


async def test_nobody_logged_in_is_unauthenticated(http: httpx.AsyncClient) -> None:
    body = await me(http)
    assert body["data"] is None
    assert error_code(body) == "unauthenticated"


async def test_tampered_state_creates_no_session(idp: RunningIdP, http: httpx.AsyncClient) -> None:
    picker = await start_login(http)
    callback = await pick(http, picker, "anna", "eparaksts")
    tampered = callback.copy_set_param("state", "forged-" + callback.params["state"])
    answer = await http.get(str(tampered))
    assert answer.status_code == 400
    assert "state_mismatch" in answer.text
    assert "vienuviet" not in http.cookies
    assert error_code(await me(http)) == "unauthenticated"


async def test_a_state_with_letters_beyond_ascii_is_a_mismatch(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    """secrets.compare_digest raises TypeError for such text: it was a 500."""
    picker = await start_login(http)
    callback = await pick(http, picker, "anna", "eparaksts")
    answer = await http.get(str(callback.copy_set_param("state", "ā" * 43)))
    assert answer.status_code == 400
    assert "state_mismatch" in answer.text


async def test_replayed_callback_creates_no_second_session(
    idp: RunningIdP, http: httpx.AsyncClient, base_url: str
) -> None:
    picker = await start_login(http)
    callback = await pick(http, picker, "anna", "eparaksts")
    assert (await http.get(str(callback))).status_code in (302, 303)
    # The same browser again: the pending login was used up.
    again = await http.get(str(callback))
    assert again.status_code == 400
    assert "login_expired" in again.text
    # Another browser that captured the URL: it has no pending login at all.
    async with httpx.AsyncClient(base_url=base_url) as attacker:
        stolen = await attacker.get(str(callback))
        assert stolen.status_code == 400
        assert "vienuviet" not in attacker.cookies
        assert error_code(await me(attacker)) == "unauthenticated"


async def test_code_replayed_into_a_new_login_is_refused_by_the_provider(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    first = await pick(http, await start_login(http), "anna", "eparaksts")
    await http.get(str(first))
    await logout(http)
    # A fresh login (new state, nonce, verifier) fed the old code: PKCE and single use fail.
    second_picker = await start_login(http)
    second = await pick(http, second_picker, "anna", "eparaksts")
    forged = second.copy_set_param("code", first.params["code"])
    answer = await http.get(str(forged))
    assert answer.status_code == 400
    assert "token_exchange_failed" in answer.text


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("wrong_nonce", "id_token_invalid_nonce"),
        ("wrong_issuer", "id_token_invalid_iss"),
        ("wrong_audience", "id_token_invalid_aud"),
        ("expired_id_token", "id_token_invalid_exp"),
        ("unknown_kid", "id_token_unknown_key"),
        ("bad_signature", "id_token_bad_signature"),
        ("wrong_iss_parameter", "iss_mismatch"),
        ("missing_iss_parameter", "iss_missing"),
    ],
)
async def test_provider_misbehaviour_is_refused_without_a_session(
    idp_faults: RunningIdP, http: httpx.AsyncClient, fault: str, reason: str
) -> None:
    await arm(http, idp_faults, fault)
    answer = await login_as(http, "anna", "eparaksts")
    assert answer.status_code == 400
    assert reason in answer.text
    assert "vienuviet" not in http.cookies
    assert error_code(await me(http)) == "unauthenticated"


async def test_rotated_provider_keys_are_fetched_again(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    await login_as(http, "anna", "eparaksts")  # the app now holds the current JWKS
    rotated = await http.post(idp.endpoint("rotate_key"), json={})
    assert rotated.status_code == 200
    async with httpx.AsyncClient(base_url=str(http.base_url)) as browser:
        answer = await login_as(browser, "laura", "eparaksts")
        assert answer.status_code in (302, 303), answer.text
        assert (await me(browser))["data"]["me"]["name"] == "Laura Kalniņa"  # type: ignore[index]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
async def test_off_site_next_falls_back_home(
    idp: RunningIdP, http: httpx.AsyncClient, target: str
) -> None:
    answer = await login_as(http, "anna", "eparaksts", next_path=target)
    assert answer.headers["location"] == "/"


async def test_session_fixation_is_prevented(idp: RunningIdP, http: httpx.AsyncClient) -> None:
    planted = "attacker-chosen-session-id"
    http.cookies.set("vienuviet", planted, domain="127.0.0.1", path="/")
    await login_as(http, "anna", "eparaksts")
    assert http.cookies.get("vienuviet") != planted
    async with httpx.AsyncClient(base_url=str(http.base_url)) as attacker:
        attacker.cookies.set("vienuviet", planted, domain="127.0.0.1", path="/")
        assert error_code(await me(attacker)) == "unauthenticated"


async def test_logout_ends_the_session_and_the_providers(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    await login_as(http, "anna", "eparaksts")
    home = await http.get("/", headers={"accept": "text/html"})
    token = http.cookies.get("csrftoken")
    assert token, "the CSRF cookie is set on pages"
    assert token in home.text or 'name="_csrf_token"' in home.text
    refused = await http.post("/auth/logout")
    assert refused.status_code == 403, "a form post without the CSRF token is refused"
    answer = await http.post("/auth/logout", data={"_csrf_token": token})
    assert answer.status_code == 303
    location = httpx.URL(answer.headers["location"])
    assert str(location).startswith(idp.endpoint("end_session"))
    assert location.params["post_logout_redirect_uri"].endswith("/")
    assert "id_token_hint" in location.params
    assert error_code(await me(http)) == "unauthenticated"


async def test_logout_everywhere_ends_other_devices(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=str(http.base_url)) as phone:
        await login_as(http, "valdis", "eparaksts")
        await login_as(phone, "valdis", "eid_card")
        assert (await me(phone))["data"] is not None
        body = await graphql(http, "mutation { logOutEverywhere }")
        assert body["data"] == {"logOutEverywhere": True}
        assert error_code(await me(phone)) == "unauthenticated"
        assert error_code(await me(http)) == "unauthenticated"
        # A new login afterwards works normally.
        await login_as(phone, "valdis", "eid_card")
        assert (await me(phone))["data"] is not None


async def test_birth_date_comes_from_the_login_when_the_code_has_none(
    idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    kristaps = persona("kristaps")  # a birth-date-free personal code (32NNNN-NNNNN)
    await login_as(http, "kristaps", "eparaksts")
    record = await find_by_personal_code(kristaps.personal_code or "")
    assert record is not None
    assert record.birth_date == kristaps.born_on(TODAY)  # the provider counts from that day
