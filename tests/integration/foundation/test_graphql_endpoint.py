"""POST /graphql: answers operations, and refuses malformed or abusive ones with a clear 4xx."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from backend.services import Services
from backend.settings import Settings
from tests.conftest import variant_app


async def gql(http: httpx.AsyncClient, payload: object, **kwargs: object) -> httpx.Response:
    return await http.post("/graphql", json=payload, **kwargs)  # type: ignore[arg-type]


async def test_typename_answers(http: httpx.AsyncClient) -> None:
    response = await gql(http, {"query": "{ __typename version }"})
    assert response.status_code == 200
    assert response.json()["data"]["__typename"] == "Query"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"query": "{ __typename }"', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b'[{"query": "{ __typename }"}]', "Batched operations are not supported"),
        (b'"{ __typename }"', "must be a JSON object"),
        (b'{"query": ""}', '"query" must be a non-empty string'),
        (b'{"query": 5}', '"query" must be a non-empty string'),
        (b'{"query": "{ __typename }", "variables": [1]}', '"variables" must be a JSON object'),
        (b'{"query": "{ __typename }", "operationName": 3}', '"operationName" must be a string'),
    ],
)
async def test_malformed_envelopes_are_400_with_a_reason(
    http: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert message in error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_only_json_posts(http: httpx.AsyncClient) -> None:
    form = await http.post("/graphql", data={"query": "{ __typename }"})
    assert form.status_code == 415
    assert form.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    get = await http.get("/graphql", params={"query": "{ __typename }"})
    assert get.status_code == 405


async def test_cross_site_browser_requests_are_refused(http: httpx.AsyncClient) -> None:
    response = await gql(
        http, {"query": "{ __typename }"}, headers={"origin": "https://evil.example"}
    )
    assert response.status_code == 403
    origin = str(http.base_url).rstrip("/")
    same = await gql(http, {"query": "{ __typename }"}, headers={"origin": origin})
    assert same.status_code == 200


async def test_syntax_errors_are_400(http: httpx.AsyncClient) -> None:
    response = await gql(http, {"query": "{ __typename "})
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


async def test_unknown_fields_get_no_suggestions(http: httpx.AsyncClient) -> None:
    response = await gql(http, {"query": "{ versio }"})
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "versio" in message
    assert "Did you mean" not in message


async def test_too_many_aliases_are_refused(http: httpx.AsyncClient, settings: Settings) -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(settings.graphql.max_aliases + 1))
    response = await gql(http, {"query": "{ " + aliases + " }"})
    assert response.status_code == 400
    assert "aliases found" in response.json()["errors"][0]["message"]


async def test_too_many_tokens_are_refused(http: httpx.AsyncClient, settings: Settings) -> None:
    assert settings.graphql.max_tokens == 2000
    query = "{ " + "__typename " * settings.graphql.max_tokens + "}"
    response = await gql(http, {"query": query})
    assert response.status_code == 400
    assert "more than 2000 tokens" in response.json()["errors"][0]["message"]


async def test_oversized_bodies_are_413(http: httpx.AsyncClient, settings: Settings) -> None:
    padding = "x" * (settings.graphql.max_body_bytes + 1)
    response = await gql(http, {"query": "{ __typename }", "variables": {"pad": padding}})
    assert response.status_code == 413


async def test_introspection_is_off_outside_development(http: httpx.AsyncClient) -> None:
    response = await gql(http, {"query": "{ __schema { queryType { name } } }"})
    assert response.status_code == 400
    assert "introspection" in response.json()["errors"][0]["message"].lower()


async def test_introspection_is_on_in_development(
    tmp_path: Path, settings: Settings, services: Services
) -> None:
    async with (
        variant_app(settings, services, tmp_path, DEBUG="1") as (url, _),
        httpx.AsyncClient(base_url=url) as client,
    ):
        response = await gql(client, {"query": "{ __schema { queryType { name } } }"})
    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_too_deep_queries_are_refused(
    tmp_path: Path, settings: Settings, services: Services
) -> None:
    async with (
        variant_app(settings, services, tmp_path, GRAPHQL_MAX_DEPTH="1") as (url, _),
        httpx.AsyncClient(base_url=url) as client,
    ):
        shallow = await gql(client, {"query": "{ me { name } }"})
        deep = await gql(client, {"query": "{ me { actingAs { name } } }"})
    assert shallow.status_code == 200  # runs (and answers unauthenticated)
    assert deep.status_code == 400
    assert "exceeds maximum operation depth" in deep.json()["errors"][0]["message"]
