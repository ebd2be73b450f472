"""The authorization code flow end to end: picker, code, token, ID token, single use."""

from __future__ import annotations

import time

import httpx
import pytest
from joserfc import jwt

from integrations.devstack.dev_idp.methods import LOA_HIGH, LOA_LOW, LOA_SUBSTANTIAL
from integrations.devstack.personas import persona
from tests.idp_driver import choose, login, redeem, verify_id_token
from tests.integration.dev_idp.conftest import BASIC, CLIENT_ID, REDIRECT_URI, IdP


async def _code_for(idp: IdP, browser: httpx.AsyncClient, who: str, how: str, **extra: str):  # type: ignore[no-untyped-def]
    request = idp.request(**extra)
    location = await login(browser, idp.endpoint("authorize"), request, who, how)
    return request, location


async def test_personal_code_persona_gets_verified_tokens_and_claims(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    anna = persona("anna")
    request, location = await _code_for(idp, browser, "anna", "eparaksts")
    assert str(location).startswith(REDIRECT_URI + "?")
    assert location.params["state"] == request.state
    assert location.params["iss"] == idp.url  # RFC 9207
    before = int(time.time())
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], request, BASIC)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert "refresh_token" not in tokens
    token = verify_id_token(tokens["id_token"], await idp.jwks(browser))
    assert token.header["alg"] == "RS256"
    assert token.header["kid"] == (await idp.jwks(browser))["keys"][0]["kid"]
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": idp.url},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": request.nonce},
        sub={"essential": True, "value": anna.sub},
        acr={"essential": True, "value": LOA_HIGH},
    ).validate(token.claims)
    claims = token.claims
    assert claims["personal_code"] == anna.personal_code
    assert "eidas_person_identifier" not in claims
    assert (claims["given_name"], claims["family_name"]) == ("Anna", "Bērziņa")
    assert claims["name"] == "Anna Bērziņa"
    assert claims["birthdate"] == "1985-03-15"
    assert claims["locale"] == "lv"
    assert claims["amr"] == ["swk", "pin"]
    assert before - 5 <= claims["auth_time"] <= claims["iat"] < claims["exp"]
    assert claims["at_hash"]


async def test_eidas_persona_carries_the_eidas_identifier_and_no_personal_code(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    pierre = persona("pierre")
    request, location = await _code_for(idp, browser, "pierre", "eidas")
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], request, BASIC)
    claims = verify_id_token(response.json()["id_token"], await idp.jwks(browser)).claims
    assert claims["sub"] == pierre.sub
    assert claims["eidas_person_identifier"] == pierre.eidas_id
    assert "personal_code" not in claims
    assert claims["acr"] == LOA_SUBSTANTIAL
    assert claims["locale"] == "en"
    assert claims["nonce"] == request.nonce


async def test_bank_login_is_low_assurance(idp: IdP, browser: httpx.AsyncClient) -> None:
    request, location = await _code_for(idp, browser, "valdis", "bank")
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], request, BASIC)
    claims = verify_id_token(response.json()["id_token"], await idp.jwks(browser)).claims
    assert claims["acr"] == LOA_LOW
    assert claims["locale"] == "ru"


async def test_without_profile_scope_only_identity_claims_are_issued(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    request, location = await _code_for(idp, browser, "anna", "bank", scope="openid")
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], request, BASIC)
    claims = verify_id_token(response.json()["id_token"], await idp.jwks(browser)).claims
    assert claims["personal_code"] == persona("anna").personal_code
    assert not {"given_name", "family_name", "name", "birthdate"} & set(claims)


async def test_authorization_without_pkce_is_refused(idp: IdP, browser: httpx.AsyncClient) -> None:
    request = idp.request(code_challenge=None, code_challenge_method=None)
    response = await browser.get(idp.endpoint("authorize"), params=request.params)
    assert response.status_code == 302
    location = httpx.URL(response.headers["location"])
    assert location.params["error"] == "invalid_request"
    assert location.params["state"] == request.state
    assert location.params["iss"] == idp.url
    assert "code" not in location.params


async def test_plain_pkce_is_refused(idp: IdP, browser: httpx.AsyncClient) -> None:
    request = idp.request(code_challenge_method="plain")
    response = await browser.get(idp.endpoint("authorize"), params=request.params)
    assert httpx.URL(response.headers["location"]).params["error"] == "invalid_request"


@pytest.mark.parametrize("verifier", [None, "wrong-" + "x" * 50])
async def test_token_request_with_missing_or_wrong_verifier_is_refused(
    idp: IdP, browser: httpx.AsyncClient, verifier: str | None
) -> None:
    _, location = await _code_for(idp, browser, "anna", "bank")
    data = {
        "grant_type": "authorization_code",
        "code": location.params["code"],
        "redirect_uri": REDIRECT_URI,
    }
    if verifier:
        data["code_verifier"] = verifier
    response = await browser.post(idp.endpoint("token"), data=data, auth=BASIC)
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_request", "invalid_grant")
    assert "id_token" not in response.json()


async def test_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    request = idp.request(redirect_uri="http://127.0.0.1:9/evil")
    response = await browser.get(idp.endpoint("authorize"), params=request.params)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "evil" in response.text  # says which redirect URI was wrong
    unknown_client = await browser.get(
        idp.endpoint("authorize"), params={**request.params, "client_id": "nobody"}
    )
    assert unknown_client.status_code == 400
    assert "location" not in unknown_client.headers


async def test_token_request_must_repeat_the_redirect_uri(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    request, location = await _code_for(idp, browser, "anna", "bank")
    response = await redeem(
        browser,
        idp.endpoint("token"),
        location.params["code"],
        request,
        BASIC,
        redirect_uri="http://127.0.0.1:9/other",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_replayed_code_is_refused_and_revokes_the_tokens_it_gave(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    request, location = await _code_for(idp, browser, "anna", "bank")
    code = location.params["code"]
    first = await redeem(browser, idp.endpoint("token"), code, request, BASIC)
    assert first.status_code == 200
    bearer = {"authorization": f"Bearer {first.json()['access_token']}"}
    assert (await browser.get(idp.endpoint("userinfo"), headers=bearer)).status_code == 200
    replay = await redeem(browser, idp.endpoint("token"), code, request, BASIC)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    revoked = await browser.get(idp.endpoint("userinfo"), headers=bearer)
    assert revoked.status_code == 401


async def test_wrong_client_secret_is_refused(idp: IdP, browser: httpx.AsyncClient) -> None:
    request, location = await _code_for(idp, browser, "anna", "bank")
    code = location.params["code"]
    wrong = await redeem(browser, idp.endpoint("token"), code, request, (CLIENT_ID, "nope"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert "www-authenticate" in wrong.headers
    unauthenticated = await redeem(browser, idp.endpoint("token"), code, request, None)
    assert unauthenticated.status_code in (400, 401)
    assert unauthenticated.json()["error"] == "invalid_client"
    # The failed attempts did not use up the code.
    right = await redeem(browser, idp.endpoint("token"), code, request, BASIC)
    assert right.status_code == 200


async def test_cancel_returns_access_denied_to_the_client(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    request = idp.request()
    page = await browser.get(idp.endpoint("authorize"), params=request.params)
    answer = await choose(browser, page, "", "", action="cancel")
    location = httpx.URL(answer.headers["location"])
    assert location.params["error"] == "access_denied"
    assert location.params["state"] == request.state
    assert location.params["iss"] == idp.url


async def test_single_sign_on_and_prompt_login(idp: IdP, browser: httpx.AsyncClient) -> None:
    await _code_for(idp, browser, "martins", "eid_card")
    again = idp.request()
    silent = await browser.get(idp.endpoint("authorize"), params=again.params)
    assert silent.status_code == 302, "a logged-in browser is answered without the picker"
    location = httpx.URL(silent.headers["location"])
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], again, BASIC)
    claims = verify_id_token(response.json()["id_token"], await idp.jwks(browser)).claims
    assert claims["sub"] == persona("martins").sub
    assert claims["nonce"] == again.nonce
    forced = await browser.get(idp.endpoint("authorize"), params=idp.request(prompt="login").params)
    assert forced.status_code == 200
    assert 'name="persona"' in forced.text
    none = await browser.get(idp.endpoint("authorize"), params=idp.request(prompt="none").params)
    assert "code" in httpx.URL(none.headers["location"]).params


async def test_prompt_none_without_a_session_is_login_required(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    response = await browser.get(
        idp.endpoint("authorize"), params=idp.request(prompt="none").params
    )
    assert httpx.URL(response.headers["location"]).params["error"] == "login_required"
