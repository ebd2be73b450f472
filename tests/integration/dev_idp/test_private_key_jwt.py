"""A client that authenticates with a signed assertion (private_key_jwt, RFC 7523)."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from integrations.devstack.dev_idp import RegisteredClient
from tests.idp_driver import auth_request, login, redeem, verify_id_token
from tests.integration.dev_idp.conftest import REDIRECT_URI, IdP, rp_client, running_idp

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
JWT_CLIENT = "rp-jwt"


@dataclass
class JwtClientIdP:
    idp: IdP
    key: RSAKey

    def assertion(self, audience: str, **claims: object) -> str:
        now = int(time.time())
        payload = {
            "iss": JWT_CLIENT,
            "sub": JWT_CLIENT,
            "aud": audience,
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(12),
            **claims,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, payload, self.key)


@pytest.fixture
async def jwt_idp() -> AsyncIterator[JwtClientIdP]:
    key = RSAKey.generate_key(2048, auto_kid=True)
    client = RegisteredClient(
        JWT_CLIENT, (REDIRECT_URI,), jwks={"keys": [key.as_dict(private=False)]}
    )
    async with running_idp(clients=(rp_client(), client)) as idp:
        yield JwtClientIdP(idp, key)


async def _code(setup: JwtClientIdP, browser: httpx.AsyncClient, **extra: str):  # type: ignore[no-untyped-def]
    request = auth_request(JWT_CLIENT, REDIRECT_URI, **extra)
    location = await login(browser, setup.idp.endpoint("authorize"), request, "ilze", "eid_card")
    return request, location.params["code"]


async def test_private_key_jwt_client_gets_tokens(
    jwt_idp: JwtClientIdP, browser: httpx.AsyncClient
) -> None:
    request, code = await _code(jwt_idp, browser)
    token_url = jwt_idp.idp.endpoint("token")
    response = await redeem(
        browser,
        token_url,
        code,
        request,
        None,
        client_assertion_type=ASSERTION_TYPE,
        client_assertion=jwt_idp.assertion(token_url),
    )
    assert response.status_code == 200, response.text
    claims = verify_id_token(response.json()["id_token"], await jwt_idp.idp.jwks(browser)).claims
    assert claims["aud"] == JWT_CLIENT


async def test_private_key_jwt_refuses_bad_assertions(
    jwt_idp: JwtClientIdP, browser: httpx.AsyncClient
) -> None:
    request, code = await _code(jwt_idp, browser)
    token_url = jwt_idp.idp.endpoint("token")
    stranger = RSAKey.generate_key(2048, auto_kid=True)
    now = int(time.time())
    signed_by_stranger = jwt.encode(
        {"alg": "RS256", "kid": jwt_idp.key.kid},
        {"iss": JWT_CLIENT, "sub": JWT_CLIENT, "aud": token_url, "exp": now + 60, "jti": "a"},
        stranger,
    )
    bad = [
        signed_by_stranger,
        jwt_idp.assertion("https://elsewhere.invalid/token"),
        jwt_idp.assertion(token_url, exp=now - 600),
    ]
    for assertion in bad:
        response = await redeem(
            browser,
            token_url,
            code,
            request,
            None,
            client_assertion_type=ASSERTION_TYPE,
            client_assertion=assertion,
        )
        assert response.status_code in (400, 401)
        assert response.json()["error"] == "invalid_client"
    # A secret is no way in for this client.
    assert (await redeem(browser, token_url, code, request, (JWT_CLIENT, "x"))).status_code == 401
    once = jwt_idp.assertion(token_url)
    first = await redeem(
        browser,
        token_url,
        code,
        request,
        None,
        client_assertion_type=ASSERTION_TYPE,
        client_assertion=once,
    )
    assert first.status_code == 200
    request2, code2 = await _code(jwt_idp, browser, prompt="login")
    replayed = await redeem(
        browser,
        token_url,
        code2,
        request2,
        None,
        client_assertion_type=ASSERTION_TYPE,
        client_assertion=once,
    )
    assert replayed.status_code in (400, 401)
    assert replayed.json()["error"] == "invalid_client"
