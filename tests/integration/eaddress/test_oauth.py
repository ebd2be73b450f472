"""POST /oauth/token (client credentials) and what the API does with good and bad tokens."""

from __future__ import annotations

import time
import uuid

import httpx
from joserfc.jwk import OctKey

from backend.eaddress.institution_api.institutions import NewInstitution, disable_institution
from backend.eaddress.institution_api.tokens import issue_token
from backend.services import Services
from tests.integration.eaddress.conftest import Api, fetch_token, make_institution


async def test_client_secret_basic_and_post_both_give_a_bearer_token(
    http: httpx.AsyncClient, institution: NewInstitution
) -> None:
    response = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(institution.client_id, institution.client_secret),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "eaddress.send eaddress.read"
    assert 0 < body["expires_in"] <= 3600
    assert response.headers["cache-control"] == "no-store"
    token = await fetch_token(http, institution, "eaddress.read", post=True)
    status = await Api(http, token).get("/replies")
    assert status.status_code == 200


async def test_wrong_secret_unknown_client_and_disabled_institution_are_refused(
    http: httpx.AsyncClient, institution: NewInstitution
) -> None:
    form = {"grant_type": "client_credentials"}
    wrong = await http.post("/oauth/token", data=form, auth=(institution.client_id, "nope"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    unknown = await http.post("/oauth/token", data=form, auth=("inst_unknown", "secret"))
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_client"
    posted = await http.post(
        "/oauth/token", data={**form, "client_id": institution.client_id, "client_secret": "x"}
    )
    assert posted.status_code == 401
    assert posted.json()["error"] == "invalid_client"

    token = await fetch_token(http, institution)
    assert await disable_institution(institution.client_id)
    refused = await http.post(
        "/oauth/token", data=form, auth=(institution.client_id, institution.client_secret)
    )
    assert refused.status_code == 401
    # A token issued before the institution was disabled stops working at once.
    after = await Api(http, token).get("/replies")
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"
    send = await Api(http, token).send({
        "recipient": {"type": "company", "id": "40003123459"}, "subject": "S", "body": "B",
    })  # fmt: skip
    assert send.status_code == 401
    assert send.json()["code"] == "invalid_token"


async def test_scopes_are_limited_to_the_clients_own(http: httpx.AsyncClient) -> None:
    reader_only = await make_institution(("eaddress.read",))
    auth = (reader_only.client_id, reader_only.client_secret)
    too_much = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "eaddress.send"},
        auth=auth,
    )
    assert too_much.status_code == 400
    assert too_much.json()["error"] == "invalid_scope"
    unknown = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials", "scope": "admin"}, auth=auth
    )
    assert unknown.json()["error"] == "invalid_scope"
    token = await fetch_token(http, reader_only)
    send = await Api(http, token).send({"recipient": {"type": "company", "id": "40003123459"}})
    assert send.status_code == 403
    assert send.json()["code"] == "insufficient_scope"
    assert 'scope="eaddress.send"' in send.headers["www-authenticate"]


async def test_malformed_token_requests(
    http: httpx.AsyncClient, institution: NewInstitution
) -> None:
    auth = (institution.client_id, institution.client_secret)
    grant = await http.post("/oauth/token", data={"grant_type": "password"}, auth=auth)
    assert grant.json()["error"] == "unsupported_grant_type"
    as_json = await http.post("/oauth/token", json={"grant_type": "client_credentials"}, auth=auth)
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "invalid_request"
    repeated = await http.post(
        "/oauth/token",
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=auth,
    )
    assert repeated.json()["error"] == "invalid_request"


async def test_missing_expired_forged_and_foreign_tokens_answer_401(
    http: httpx.AsyncClient, services: Services, institution: NewInstitution
) -> None:
    none = await http.get("/api/eaddress/v1/replies")
    assert none.status_code == 401
    assert none.json()["code"] == "invalid_token"
    assert none.headers["www-authenticate"].startswith("Bearer")
    ctx = services.eaddress
    common = {
        "issuer": ctx.public_url,
        "institution_id": institution.id,
        "client_id": institution.client_id,
        "scopes": ["eaddress.read"],
        "ttl_s": 600,
    }
    expired = issue_token(ctx.keys.token_key, now=int(time.time()) - 3600, **common)
    forged = issue_token(OctKey.generate_key(256, auto_kid=True), **common)
    other_issuer = issue_token(ctx.keys.token_key, **{**common, "issuer": "https://evil.example"})
    good = issue_token(ctx.keys.token_key, **common)
    for token in (expired, forged, other_issuer, good[:-4] + "AAAA", "not-a-jwt"):
        response = await Api(http, token).get("/replies")
        assert response.status_code == 401, token
        assert response.json()["code"] == "invalid_token"
    stranger = issue_token(ctx.keys.token_key, **{**common, "institution_id": uuid.uuid4()})
    assert (await Api(http, stranger).get("/replies")).status_code == 401
    assert (await Api(http, good).get("/replies")).status_code == 200
