"""Discovery and JWKS: what a standard client reads before anything else."""

from __future__ import annotations

import httpx

from integrations.devstack.dev_idp.methods import LOA_HIGH, LOA_LOW, LOA_SUBSTANTIAL
from tests.integration.dev_idp.conftest import IdP, running_idp


async def test_discovery_document_describes_the_provider(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    response = await browser.get(f"{idp.url}/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    meta = response.json()
    assert meta["issuer"] == idp.url
    for key, path in {
        "authorization_endpoint": "/authorize",
        "token_endpoint": "/token",
        "userinfo_endpoint": "/userinfo",
        "jwks_uri": "/jwks",
        "end_session_endpoint": "/end-session",
    }.items():
        assert meta[key] == idp.url + path
    assert meta["response_types_supported"] == ["code"]
    assert meta["grant_types_supported"] == ["authorization_code"]
    assert meta["subject_types_supported"] == ["public"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "private_key_jwt",
    ]
    assert "openid" in meta["scopes_supported"]
    assert {"sub", "personal_code", "eidas_person_identifier", "acr", "amr"} <= set(
        meta["claims_supported"]
    )
    assert meta["acr_values_supported"] == [LOA_LOW, LOA_SUBSTANTIAL, LOA_HIGH]
    assert meta["authorization_response_iss_parameter_supported"] is True


async def test_claim_name_of_the_personal_code_follows_settings(
    browser: httpx.AsyncClient,
) -> None:
    async with running_idp(person_code_claim="serialNumber") as idp:
        meta = (await browser.get(f"{idp.url}/.well-known/openid-configuration")).json()
    assert "serialNumber" in meta["claims_supported"]
    assert "personal_code" not in meta["claims_supported"]


async def test_jwks_publishes_public_rsa_keys_with_kid(
    idp: IdP, browser: httpx.AsyncClient
) -> None:
    jwks = await idp.jwks(browser)
    assert len(jwks["keys"]) == 1
    key = jwks["keys"][0]
    assert key["kty"] == "RSA"
    assert key["use"] == "sig"
    assert key["alg"] == "RS256"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "private parts must never be published"


async def test_an_issuer_with_a_path_serves_everything_under_it(
    browser: httpx.AsyncClient,
) -> None:
    async with running_idp(path="/idp") as idp:
        meta = (await browser.get(f"{idp.url}/.well-known/openid-configuration")).json()
        assert idp.url.endswith("/idp")
        assert meta["issuer"] == idp.url
        assert (await browser.get(meta["jwks_uri"])).status_code == 200
        page = await browser.get(meta["authorization_endpoint"], params=idp.request().params)
        assert page.status_code == 200
        assert 'href="/idp/static/idp.css"' in page.text
