"""Test controls: each armed fault spoils exactly one response in exactly the promised way."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidKeyIdError

from tests.idp_driver import login, redeem, verify_id_token
from tests.integration.dev_idp.conftest import BASIC, CLIENT_ID, IdP, running_idp


async def _arm(idp: IdP, http: httpx.AsyncClient, fault: str) -> httpx.Response:
    return await http.post(idp.endpoint("faults"), json={"fault": fault})


async def _flow(idp: IdP, browser: httpx.AsyncClient, **extra: str) -> tuple[Any, ...]:
    """One login; returns (request, redirect location, raw id_token)."""
    request = idp.request(**extra)
    location = await login(browser, idp.endpoint("authorize"), request, "anna", "eid_card")
    response = await redeem(browser, idp.endpoint("token"), location.params["code"], request, BASIC)
    assert response.status_code == 200
    return request, location, response.json()["id_token"]


def _claims(id_token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    return dict(verify_id_token(id_token, jwks).claims)


Check = Callable[[IdP, Any, str, dict[str, Any]], None]


def _wrong_issuer(idp: IdP, request: Any, id_token: str, jwks: dict[str, Any]) -> None:
    claims = _claims(id_token, jwks)  # validly signed ...
    assert claims["iss"] != idp.url  # ... by the right key, but claiming another issuer
    assert claims["aud"] == CLIENT_ID


def _wrong_audience(idp: IdP, request: Any, id_token: str, jwks: dict[str, Any]) -> None:
    claims = _claims(id_token, jwks)
    assert claims["iss"] == idp.url
    assert CLIENT_ID not in (claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]])


def _expired(idp: IdP, request: Any, id_token: str, jwks: dict[str, Any]) -> None:
    claims = _claims(id_token, jwks)
    assert claims["exp"] < time.time() - 600
    assert claims["iat"] < claims["exp"]
    with pytest.raises(ExpiredTokenError):
        jwt.JWTClaimsRegistry(leeway=300).validate(claims)


def _unknown_kid(idp: IdP, request: Any, id_token: str, jwks: dict[str, Any]) -> None:
    header = jws.extract_compact(id_token.encode()).headers()
    assert header["kid"] not in {key["kid"] for key in jwks["keys"]}
    with pytest.raises(InvalidKeyIdError):
        verify_id_token(id_token, jwks)


def _wrong_nonce(idp: IdP, request: Any, id_token: str, jwks: dict[str, Any]) -> None:
    claims = _claims(id_token, jwks)
    assert claims["nonce"]
    assert claims["nonce"] != request.nonce


def _bad_signature(idp: IdP, request: Any, id_token: str, jwks: dict[str, Any]) -> None:
    header = jws.extract_compact(id_token.encode()).headers()
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    with pytest.raises(BadSignatureError):
        verify_id_token(id_token, jwks)


TOKEN_FAULTS: dict[str, Check] = {
    "wrong_issuer": _wrong_issuer,
    "wrong_audience": _wrong_audience,
    "expired_id_token": _expired,
    "unknown_kid": _unknown_kid,
    "wrong_nonce": _wrong_nonce,
    "bad_signature": _bad_signature,
}


@pytest.mark.parametrize("fault", list(TOKEN_FAULTS))
async def test_token_fault_spoils_the_next_id_token_once(
    idp: IdP, browser: httpx.AsyncClient, fault: str
) -> None:
    armed = await _arm(idp, browser, fault)
    assert armed.status_code == 200
    assert armed.json()["armed"] == [fault]
    jwks = await idp.jwks(browser)
    request, location, id_token = await _flow(idp, browser)
    assert location.params["iss"] == idp.url, "a token fault leaves the authorization alone"
    TOKEN_FAULTS[fault](idp, request, id_token, jwks)
    # Used up: the next login is clean in every respect.
    assert (await browser.get(idp.endpoint("faults"))).json()["armed"] == []
    request, _, id_token = await _flow(idp, browser, prompt="login")
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": idp.url},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": request.nonce},
    ).validate(_claims(id_token, jwks))


async def test_wrong_iss_parameter(idp: IdP, browser: httpx.AsyncClient) -> None:
    assert (await _arm(idp, browser, "wrong_iss_parameter")).status_code == 200
    _, location, id_token = await _flow(idp, browser)
    assert location.params["iss"] != idp.url
    assert _claims(id_token, await idp.jwks(browser))["iss"] == idp.url, "token untouched"
    _, clean, _ = await _flow(idp, browser, prompt="login")
    assert clean.params["iss"] == idp.url


async def test_missing_iss_parameter(idp: IdP, browser: httpx.AsyncClient) -> None:
    assert (await _arm(idp, browser, "missing_iss_parameter")).status_code == 200
    _, location, _ = await _flow(idp, browser)
    assert "iss" not in location.params
    assert "code" in location.params
    _, clean, _ = await _flow(idp, browser, prompt="login")
    assert clean.params["iss"] == idp.url


async def test_fault_controls_refuse_unknown_faults_and_non_json(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    unknown = await _arm(idp, browser, "everything_wrong")
    assert unknown.status_code == 400
    assert "wrong_nonce" in unknown.json()["available"]
    form = await browser.post(idp.endpoint("faults"), data={"fault": "wrong_nonce"})
    assert form.status_code == 415, "a cross-site HTML form cannot arm a fault"
    await _arm(idp, browser, "wrong_nonce")
    await _arm(idp, browser, "missing_iss_parameter")
    listed = (await browser.get(idp.endpoint("faults"))).json()
    assert listed["armed"] == ["missing_iss_parameter", "wrong_nonce"]
    cleared = await browser.delete(idp.endpoint("faults"))
    assert cleared.json()["armed"] == []


async def test_two_providers_in_one_process_keep_their_own_faults_and_keys(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    async with running_idp() as other:
        await _arm(other, browser, "wrong_nonce")
        await browser.post(other.endpoint("rotate_key"), json={})
        assert (await browser.get(idp.endpoint("faults"))).json()["armed"] == []
        assert len((await idp.jwks(browser))["keys"]) == 1
        request, _, id_token = await _flow(idp, browser)
        assert _claims(id_token, await idp.jwks(browser))["nonce"] == request.nonce
        assert (await browser.get(other.endpoint("faults"))).json()["armed"] == ["wrong_nonce"]


async def test_rotation_publishes_a_new_key_and_keeps_the_old(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    old_jwks = await idp.jwks(browser)
    (old_kid,) = [key["kid"] for key in old_jwks["keys"]]
    _, _, before = await _flow(idp, browser)
    rotated = await browser.post(idp.endpoint("rotate_key"), json={})
    assert rotated.status_code == 200
    new_kid = rotated.json()["kid"]
    assert new_kid != old_kid
    new_jwks = await idp.jwks(browser)
    assert {key["kid"] for key in new_jwks["keys"]} == {old_kid, new_kid}
    _, _, after = await _flow(idp, browser, prompt="login")
    assert jws.extract_compact(after.encode()).headers()["kid"] == new_kid
    # A client holding the old JWKS meets an unknown kid; refetching fixes it.
    with pytest.raises(InvalidKeyIdError):
        verify_id_token(after, old_jwks)
    verify_id_token(after, new_jwks)
    verify_id_token(before, new_jwks)  # tokens signed before the rotation still verify
