"""/userinfo with a bearer token, and logout (OpenID Connect RP-Initiated Logout 1.0)."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.devstack.personas import persona
from tests.idp_driver import login, redeem
from tests.integration.dev_idp.conftest import BASIC, CLIENT_ID, POST_LOGOUT_URI, IdP


async def _tokens(idp: IdP, browser: httpx.AsyncClient, who: str, how: str) -> dict[str, Any]:
    request = idp.request()
    location = await login(browser, idp.endpoint("authorize"), request, who, how)
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], request, BASIC)
    assert response.status_code == 200
    tokens: dict[str, Any] = response.json()
    return tokens


async def test_userinfo_answers_a_valid_bearer_token(idp: IdP, browser: httpx.AsyncClient) -> None:
    tokens = await _tokens(idp, browser, "pierre", "eidas")
    bearer = {"authorization": f"Bearer {tokens['access_token']}"}
    response = await browser.get(idp.endpoint("userinfo"), headers=bearer)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    pierre = persona("pierre")
    assert response.json() == {
        "sub": pierre.sub,
        "eidas_person_identifier": pierre.eidas_id,
        "given_name": "Pierre",
        "family_name": "Dubois",
        "name": "Pierre Dubois",
        "birthdate": "1990-07-07",
        "locale": "en",
    }
    assert (await browser.post(idp.endpoint("userinfo"), headers=bearer)).status_code == 200


async def test_userinfo_refuses_missing_or_unknown_tokens(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    missing = await browser.get(idp.endpoint("userinfo"))
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].lower().startswith("bearer")
    unknown = await browser.get(idp.endpoint("userinfo"), headers={"authorization": "Bearer nope"})
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in unknown.headers["www-authenticate"]


async def test_end_session_with_hint_redirects_to_a_registered_uri_and_echoes_state(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    tokens = await _tokens(idp, browser, "anna", "bank")
    response = await browser.get(
        idp.endpoint("end_session"),
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": POST_LOGOUT_URI,
            "state": "bye-123",
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == f"{POST_LOGOUT_URI}?state=bye-123"
    # The provider session is over: the next login shows the picker again.
    page = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    assert page.status_code == 200
    assert 'name="persona"' in page.text


async def test_end_session_also_accepts_a_form_post(idp: IdP, browser: httpx.AsyncClient) -> None:
    tokens = await _tokens(idp, browser, "anna", "bank")
    response = await browser.post(
        idp.endpoint("end_session"),
        data={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": POST_LOGOUT_URI,
            "client_id": CLIENT_ID,
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == POST_LOGOUT_URI


async def test_end_session_never_redirects_to_an_unregistered_uri(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    tokens = await _tokens(idp, browser, "anna", "bank")
    response = await browser.get(
        idp.endpoint("end_session"),
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "http://127.0.0.1:9/evil",
            "state": "x",
        },
    )
    assert response.status_code == 200
    assert "location" not in response.headers
    assert "You are logged out" in response.text
    assert "has not registered" in response.text
    page = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    assert page.status_code == 200, "the logout itself still happened"


async def test_end_session_refuses_a_forged_hint(idp: IdP, browser: httpx.AsyncClient) -> None:
    tokens = await _tokens(idp, browser, "anna", "bank")
    header, payload, signature = tokens["id_token"].split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    response = await browser.get(
        idp.endpoint("end_session"),
        params={"id_token_hint": forged, "post_logout_redirect_uri": POST_LOGOUT_URI},
    )
    assert response.status_code == 400
    assert "location" not in response.headers
    silent = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    assert silent.status_code == 302, "a refused logout request logs nobody out"


async def test_end_session_without_hint_asks_first(idp: IdP, browser: httpx.AsyncClient) -> None:
    await _tokens(idp, browser, "anna", "bank")
    ask = await browser.get(
        idp.endpoint("end_session"), params={"post_logout_redirect_uri": POST_LOGOUT_URI}
    )
    assert ask.status_code == 200
    assert "Log out of the development identity provider?" in ask.text
    still_in = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    assert still_in.status_code == 302, "asking logs nobody out"
    token = ask.text.split('name="confirm_token" value="')[1].split('"')[0]
    forged = await browser.post(idp.endpoint("end_session"), data={"confirm_token": "forged"})
    assert "Log out of the development identity provider?" in forged.text
    confirmed = await browser.post(idp.endpoint("end_session"), data={"confirm_token": token})
    assert confirmed.status_code == 200
    assert "You are logged out" in confirmed.text
    assert "location" not in confirmed.headers  # no hint: no redirection (spec §3)
    page = await browser.get(idp.endpoint("authorize"), params=idp.request().params)
    assert page.status_code == 200
