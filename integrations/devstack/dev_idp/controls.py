"""Development-only test controls: arm a fault for the next response, rotate the signing key.

Each POST must be `application/json`, which a cross-site HTML form cannot send.
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency

from integrations.devstack.dev_idp.faults import Fault
from integrations.devstack.dev_idp.provider import PATHS, Provider

ALL_FAULTS = [fault.value for fault in Fault]


def _state(provider: Provider) -> dict[str, Any]:
    return {"armed": provider.faults.armed(), "available": ALL_FAULTS}


def _problem(detail: str, status: int = 400) -> Response[dict[str, Any]]:
    return Response({"error": detail, "available": ALL_FAULTS}, status_code=status)


async def _json_body(request: Request[Any, Any, Any]) -> tuple[Any, str | None]:
    if not request.headers.get("content-type", "").lower().startswith("application/json"):
        return None, "send application/json"
    try:
        return json.loads(await request.body() or b"{}"), None
    except ValueError:
        return None, "the body is not valid JSON"


@get(PATHS["faults"])
async def list_faults(provider: NamedDependency[Provider]) -> dict[str, Any]:
    return _state(provider)


@post(PATHS["faults"], status_code=200)
async def arm_fault(
    request: Request[Any, Any, Any], provider: NamedDependency[Provider]
) -> Response[dict[str, Any]]:
    """`{"fault": "<name>"}`: the next matching response misbehaves that way, once."""
    body, problem = await _json_body(request)
    if problem:
        return _problem(problem, 415)
    name = body.get("fault") if isinstance(body, dict) else None
    try:
        fault = Fault(str(name))
    except ValueError:
        return _problem(f"unknown fault {name!r}")
    provider.faults.arm(fault)
    return Response(_state(provider))


@delete(PATHS["faults"], status_code=200)
async def clear_faults(provider: NamedDependency[Provider]) -> dict[str, Any]:
    provider.faults.clear()
    return _state(provider)


@post(PATHS["rotate_key"], status_code=200)
async def rotate_key(
    request: Request[Any, Any, Any], provider: NamedDependency[Provider]
) -> Response[dict[str, Any]]:
    """Sign with a new key from now on; the old keys stay in the JWKS."""
    _, problem = await _json_body(request)
    if problem:
        return _problem(problem, 415)
    key = provider.keys.rotate()
    kids = [item["kid"] for item in provider.keys.public_jwks()["keys"]]
    return Response({"kid": key.kid, "published": kids})
