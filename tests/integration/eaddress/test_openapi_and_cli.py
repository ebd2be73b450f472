"""The institution API is documented at /schema, and `vienuviet institution add` works."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import httpx

from backend.eaddress.institution_api.api_docs import AUTH, SEND
from backend.settings import Settings
from tests.integration.eaddress.conftest import Api, make_company, message_json, unique_number


async def test_the_openapi_documents_every_error_code(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    response = await http.get("/schema/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    send = spec["paths"]["/api/eaddress/v1/messages"]["post"]
    assert set(send["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert send["security"] == [{"institutionToken": ["eaddress.send"]}]
    for status, code, _ in AUTH + SEND:
        assert f"`{code}`" in send["responses"][str(status)]["description"], code
    assert "201" in send["responses"]
    assert send["responses"]["201"]["headers"]["Location"]["required"] is True
    [key] = [p for p in send["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["required"] is True
    assert key["schema"]["pattern"] == "^[!-~]{1,255}$"
    message = send["requestBody"]["content"]["application/json"]["schema"]
    assert message["properties"]["subject"]["maxLength"] == 300
    assert message["properties"]["body"]["maxLength"] == settings.eaddress.max_body_chars
    assert message["properties"]["attachment_ids"]["maxItems"] == settings.eaddress.max_attachments
    assert message["additionalProperties"] is False
    for path in (
        "/api/eaddress/v1/attachments",
        "/api/eaddress/v1/messages/{message_id}",
        "/api/eaddress/v1/messages/{message_id}/proof",
        "/api/eaddress/v1/messages/{message_id}/attachments/{attachment_id}",
        "/api/eaddress/v1/replies",
        "/oauth/token",
        "/.well-known/eaddress-receipts-jwks.json",
    ):
        assert path in spec["paths"], path
    token = spec["paths"]["/oauth/token"]["post"]
    assert "application/x-www-form-urlencoded" in token["requestBody"]["content"]
    flows = spec["components"]["securitySchemes"]["institutionToken"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/oauth/token"
    status = spec["paths"]["/api/eaddress/v1/messages/{message_id}"]["get"]
    assert "`message_not_found`" in status["responses"]["404"]["description"]
    replies = spec["paths"]["/api/eaddress/v1/replies"]["get"]
    [limit] = [p for p in replies["parameters"] if p["name"] == "limit"]
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
    jwks = spec["paths"]["/.well-known/eaddress-receipts-jwks.json"]["get"]
    assert set(jwks["responses"]["200"]["content"]) == {"application/jwk-set+json"}
    download = spec["paths"]["/api/eaddress/v1/messages/{message_id}/attachments/{attachment_id}"]
    files = download["get"]["responses"]["200"]["content"]
    assert set(files) == set(settings.eaddress.allowed_types)
    # Every error answer of every route is documented as what the server sends: problem+json
    # (the token endpoint's RFC 6749 errors excepted).
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) < 400 or (path, code) in {
                    ("/oauth/token", "400"),
                    ("/oauth/token", "401"),
                }:
                    continue
                assert set(response["content"]) == {"application/problem+json"}, (
                    method,
                    path,
                    code,
                )


async def _vienuviet(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "backend.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_institution_add_prints_working_credentials_once(
    settings: Settings, var_dir: Path, http: httpx.AsyncClient
) -> None:
    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": settings.database.url,
        "SECRET_KEY": settings.web.secret_key,
    }
    number = unique_number("9")
    code, out, err = await _vienuviet(
        env, "institution", "add", "Uzņēmumu reģistrs", "--registration-number", number,
        "--scopes", "eaddress.send",
    )  # fmt: skip
    assert code == 0, err
    client_id = re.search(r"client_id:\s+(\S+)", out)
    secret = re.search(r"client_secret:\s+(\S+)", out)
    assert client_id
    assert secret
    assert secret.group(1) not in err
    token = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id.group(1), secret.group(1)),
    )
    assert token.status_code == 200
    assert token.json()["scope"] == "eaddress.send"
    company = await make_company()
    api = Api(http, token.json()["access_token"])
    assert (await api.send(message_json({"type": "company", "id": company}))).status_code == 201

    code, _, err = await _vienuviet(
        env, "institution", "add", "Cits", "--registration-number", number
    )
    assert code == 1
    assert "registered already" in err


async def test_bench_dispatches_by_name_and_refuses_what_it_cannot_measure(
    var_dir: Path,
) -> None:
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    code, _, err = await _vienuviet(env, "bench", "no_such_bench")
    assert code == 2
    assert "no benchmark named" in err
    code, _, err = await _vienuviet(env, "bench", "eaddress", "--duration", "1")
    assert code == 2
    assert "PostgreSQL" in err
