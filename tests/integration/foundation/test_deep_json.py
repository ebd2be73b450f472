"""Deeply nested JSON is a 400 that says so, on every route that reads JSON, never a 500
(Python's decoders recurse per level; 40 KB of `[` ran out of recursion)."""

from __future__ import annotations

import uuid

import httpx
from litestar import Litestar
from litestar.routes import HTTPRoute

from backend.lib.jsonbody import MAX_DEPTH
from backend.services import Services
from tests.integration.eaddress.conftest import fetch_token, make_institution

DEEP = b"[" * 40_000
TOO_DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
JSON = {"content-type": "application/json"}
DETAIL = f"The JSON nests arrays and objects more than {MAX_DEPTH} levels deep."


async def test_graphql_answers_a_graphql_error(http: httpx.AsyncClient) -> None:
    answer = await http.post("/graphql", content=DEEP, headers=JSON)
    assert answer.status_code == 400
    (error,) = answer.json()["errors"]
    assert error == {"message": DETAIL, "extensions": {"code": "BAD_REQUEST"}}
    # Deep variables too, although Python's decoder would have managed these.
    body = '{"query": "query($v: [[Int]]) { __typename }", "variables": {"v": ' + TOO_DEEP + "}}"
    answer = await http.post("/graphql", content=body.encode(), headers=JSON)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == DETAIL


async def test_push_subscriptions_answer_a_problem(
    http: httpx.AsyncClient, services: Services
) -> None:
    origin = {**JSON, "origin": services.settings.web.origin}
    within_the_size_limit = DEEP[:8_000]
    answer = await http.post("/push/subscriptions", content=within_the_size_limit, headers=origin)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {"status": 400, "code": "invalid_body", "detail": DETAIL}


async def test_the_institution_api_answers_a_problem(http: httpx.AsyncClient) -> None:
    token = await fetch_token(http, await make_institution())
    headers = {"authorization": f"Bearer {token}", "idempotency-key": str(uuid.uuid4())}
    answer = await http.post("/api/eaddress/v1/messages", content=DEEP, headers={**headers, **JSON})
    assert answer.status_code == 400
    assert answer.json() == {"status": 400, "code": "json_too_deep", "detail": DETAIL}
    multipart = await http.post(
        "/api/eaddress/v1/messages",
        files=[("message", (None, DEEP, "application/json"))],
        headers=headers,
    )
    assert multipart.status_code == 400
    assert multipart.json()["code"] == "json_too_deep"


async def test_the_token_endpoint_answers_an_oauth_error(http: httpx.AsyncClient) -> None:
    """It reads forms only; a body within its 8 KiB limit is refused as RFC 6749 says."""
    body = DEEP[:8_000]
    as_json = await http.post("/oauth/token", content=body, headers=JSON)
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "invalid_request"
    form = {"content-type": "application/x-www-form-urlencoded"}
    as_form = await http.post("/oauth/token", content=body, headers=form)
    assert as_form.status_code == 400
    assert as_form.json()["error"] == "unsupported_grant_type"  # a form without grant_type


async def test_no_post_route_fails_on_deep_json(
    app: Litestar, http: httpx.AsyncClient, services: Services
) -> None:
    """Whatever reads JSON tomorrow: every POST route of the route table, as a visitor from
    the app's own origin, with a body under the ordinary size limit."""
    headers = {**JSON, "origin": services.settings.web.origin}
    failures = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not any(
            "POST" in handler.http_methods for handler in route.route_handlers
        ):
            continue
        path = route.path.replace("{", "").replace("}", "").replace(":str", "")
        answer = await http.post(path, content=DEEP[:8_000], headers=headers)
        if answer.status_code >= 500:
            failures.append(f"{route.path}: {answer.status_code}")
    assert not failures
