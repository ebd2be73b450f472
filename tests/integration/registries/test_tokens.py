"""The sandbox's token endpoint and bearer tokens, and how the clients handle tokens."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from integrations.devstack.personas import persona
from integrations.devstack.sandbox.tokens import TokenIssuer
from integrations.registries.errors import RegistryError
from tests.sandbox_driver import (
    Sandbox,
    registry_clients,
    running_sandbox,
    sandbox_settings,
    token_for,
)

ANNA = persona("anna").personal_code or ""
PENSION = f"/ssia/v1/persons/{ANNA}/pension-2nd-pillar"


async def _get(sandbox: Sandbox, path: str, token: str | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        return await http.get(path, headers=headers)


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_token_endpoint_accepts_basic_and_post_client_authentication(
    sandbox: Sandbox,
) -> None:
    settings = sandbox.settings
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        basic = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "ssia"},
            auth=(settings.client_id, settings.client_secret),
        )
        posted = await http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": settings.client_id,
                "client_secret": settings.client_secret,
            },
        )
    for response in (basic, posted):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        body = response.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == settings.token_ttl_s
    assert basic.json()["scope"] == "ssia"
    assert "population_register" in posted.json()["scope"].split()


@pytest.mark.parametrize(
    ("data", "auth", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, ("vienuviet", "wrong"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, ("someone", "x"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
        ({"grant_type": "password"}, "ok", 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "everything"}, "ok", 400, "invalid_scope"),
        (
            {
                "grant_type": "client_credentials",
                "client_id": "vienuviet",
                "client_secret": "vienuviet-sandbox-secret",
            },
            "ok",
            400,
            "invalid_request",
        ),
    ],
)
async def test_token_endpoint_refuses_bad_requests(
    sandbox: Sandbox, data: dict[str, str], auth: object, status: int, error: str
) -> None:
    credentials = (sandbox.settings.client_id, sandbox.settings.client_secret)
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        response = await http.post(
            "/oauth/token",
            data=data,
            auth=credentials if auth == "ok" else auth,  # type: ignore[arg-type]
        )
    assert response.status_code == status
    assert response.json()["error"] == error
    if auth and auth != "ok":
        assert response.headers["www-authenticate"].startswith("Basic ")
    assert (await sandbox.stats())["tokens_issued"] == 0


async def test_token_endpoint_wants_a_form(sandbox: Sandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        response = await http.post("/oauth/token", json={"grant_type": "client_credentials"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


async def test_registry_routes_require_a_valid_token(sandbox: Sandbox) -> None:
    missing = await _get(sandbox, PENSION, None)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'Bearer realm="registry-sandbox"'

    good = await token_for(sandbox, "ssia")
    assert (await _get(sandbox, PENSION, good)).status_code == 200

    header, payload, signature = good.split(".")
    other_key = TokenIssuer("vienuviet", 300, lambda: 0.0)
    forged_elsewhere, _ = other_key.issue(["ssia"])
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    widened = f"{header}.{_b64({**claims, 'scope': 'ssia nhs'})}.{signature}"
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    for forged in (forged_elsewhere, widened, unsigned, "not-a-jwt", good[:-4] + "AAAA"):
        response = await _get(sandbox, PENSION, forged)
        assert response.status_code == 401, forged
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_expired_token_is_refused(sandbox: Sandbox) -> None:
    token = await token_for(sandbox, "ssia")
    await sandbox.advance_clock(sandbox.settings.token_ttl_s)
    response = await _get(sandbox, PENSION, token)
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert 'error="invalid_token"' in challenge
    assert "expired" in challenge


async def test_token_for_another_registry_is_refused_with_403(sandbox: Sandbox) -> None:
    token = await token_for(sandbox, "nhs")
    response = await _get(sandbox, PENSION, token)
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


async def test_client_fetches_one_token_and_reuses_it(sandbox: Sandbox) -> None:
    async with registry_clients(sandbox.url) as clients:
        for _ in range(5):
            assert await clients.ssia.pension_second_pillar(ANNA) is not None
    assert (await sandbox.stats())["tokens_issued"] == 1


async def test_client_authenticates_with_client_secret_post(sandbox: Sandbox) -> None:
    async with registry_clients(sandbox.url, token_auth_method="client_secret_post") as clients:
        assert await clients.nhs.family_doctor(ANNA) is not None


async def test_concurrent_first_calls_share_one_token_fetch(sandbox: Sandbox) -> None:
    import asyncio

    async with registry_clients(sandbox.url) as clients:
        results = await asyncio.gather(
            *(clients.csdd.vehicles(ANNA) for _ in range(20)),
        )
    assert all(len(vehicles) == 1 for vehicles in results)
    assert (await sandbox.stats())["tokens_issued"] == 1


async def test_client_with_wrong_secret_gets_unauthorized(sandbox: Sandbox) -> None:
    async with registry_clients(sandbox.url, client_secret="wrong") as clients:
        with pytest.raises(RegistryError) as caught:
            await clients.ssia.pension_second_pillar(ANNA)
    assert (caught.value.source, caught.value.reason) == ("ssia", "unauthorized")
    assert (await sandbox.requests("ssia")) == 0  # never reached the registry


async def test_client_refetches_once_when_the_registry_says_the_token_expired(
    sandbox: Sandbox,
) -> None:
    async with registry_clients(sandbox.url) as clients:
        assert await clients.ssia.pension_second_pillar(ANNA) is not None
        # The sandbox's clock jumps past the token's expiry; the client's clock does not.
        await sandbox.advance_clock(sandbox.settings.token_ttl_s + 1)
        assert await clients.ssia.pension_second_pillar(ANNA) is not None
    stats = await sandbox.stats()
    assert stats["tokens_issued"] == 2
    assert stats["requests"]["ssia"] == 3  # ok, 401, ok


async def test_client_renews_a_token_shortly_before_it_expires(sandbox: Sandbox) -> None:
    async with registry_clients(sandbox.url) as clients:
        assert await clients.nhs.family_doctor(ANNA) is not None
        oauth = clients.nhs.http.oauth
        # As if the token's lifetime were almost over by the client's own clock.
        oauth.token["expires_at"] = oauth.token["expires_at"] - sandbox.settings.token_ttl_s + 5
        assert await clients.nhs.family_doctor(ANNA) is not None
    stats = await sandbox.stats()
    assert stats["tokens_issued"] == 2
    assert stats["requests"]["nhs"] == 2  # renewed before the call: no 401 round trip


async def test_client_gives_up_after_one_refetch_when_tokens_keep_failing() -> None:
    # Tokens that are born expired: every one the sandbox issues, it then refuses.
    async with running_sandbox(sandbox_settings(token_ttl_s=0)) as sandbox:
        async with registry_clients(sandbox.url, token_leeway_s=0) as clients:
            with pytest.raises(RegistryError) as caught:
                await clients.ssia.pension_second_pillar(ANNA)
        assert (caught.value.reason, caught.value.status) == ("unauthorized", 401)
        stats = await sandbox.stats()
        assert stats["tokens_issued"] == 2
        assert stats["requests"]["ssia"] == 2


async def test_admin_api_requires_the_admin_token(sandbox: Sandbox) -> None:
    async with httpx.AsyncClient(base_url=sandbox.url) as http:
        for token in (None, "wrong", await token_for(sandbox)):
            headers = {"authorization": f"Bearer {token}"} if token else {}
            response = await http.put("/admin/faults/ssia", json={"down": True}, headers=headers)
            assert response.status_code == 401
    assert (await sandbox.admin.get("/admin/faults")).json() == {}
