"""Admin API of the sandbox (bearer: the admin token): faults, clock, counters, reset, SMS."""

from __future__ import annotations

import hmac
import json
from datetime import date
from typing import Any

from litestar import Request, Router, delete, get, post, put
from litestar.connection import ASGIConnection
from litestar.exceptions import ClientException, NotAuthorizedException, NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath

from backend.lib.identifiers import normalise_personal_code
from integrations.devstack.sandbox.faults import parse_fault
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.state import state_of


def admin_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    scheme, _sep, token = connection.headers.get("authorization", "").partition(" ")
    expected = state_of(connection).settings.admin_token.encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise NotAuthorizedException(
            "The admin token is required",
            headers={"WWW-Authenticate": 'Bearer realm="sandbox-admin"'},
        )


async def _json(request: Request[Any, Any, Any]) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        raise ClientException("Body must be JSON") from None


def _source(source: str) -> str:
    if source not in PREFIXES:
        raise NotFoundException(f"No such source; one of: {', '.join(PREFIXES)}")
    return source


@get("/faults")
async def list_faults(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {source: fault.public() for source, fault in state_of(request).faults.items()}


@put("/faults/{source:str}")
async def set_fault(source: FromPath[str], request: Request[Any, Any, Any]) -> dict[str, Any]:
    name = _source(source)
    try:
        fault = parse_fault(await _json(request))
    except ValueError as exc:
        raise ClientException(str(exc)) from None
    state_of(request).faults[name] = fault
    return fault.public()


@delete("/faults/{source:str}", status_code=204)
async def clear_fault(source: FromPath[str], request: Request[Any, Any, Any]) -> None:
    state_of(request).faults.pop(_source(source), None)


@post("/reset", status_code=204)
async def reset(request: Request[Any, Any, Any]) -> None:
    """Clear every fault, the clock offset, the counters and the recorded SMS."""
    state_of(request).reset()


@post("/clock", status_code=200)
async def move_clock(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """`{"advance_s": N}`: move the sandbox's clock (token expiry) forward by N seconds."""
    body = await _json(request)
    step = body.get("advance_s") if isinstance(body, dict) else None
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        raise ClientException("advance_s must be a non-negative integer")
    state = state_of(request)
    state.clock_offset_s += step
    return {"offset_s": state.clock_offset_s}


@get("/stats")
async def stats(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return state_of(request).stats()


@get("/sms")
async def list_sms(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"messages": [message.public() for message in state_of(request).sms]}


@delete("/sms", status_code=204)
async def clear_sms(request: Request[Any, Any, Any]) -> None:
    state_of(request).sms.clear()


DECLARATION_FIELDS = ("owner_personal_code", "property_address", "name", "personal_code")


def parse_declaration(body: object) -> tuple[str, dict[str, Any]]:
    """Validate a declared person to add; returns (owner's code, the registry entry)."""
    if not isinstance(body, dict):
        raise ClientException("expected a JSON object")
    unknown = set(body) - {*DECLARATION_FIELDS, "declared_on", "legal_basis"}
    if unknown:
        raise ClientException(f"unknown fields: {', '.join(sorted(unknown))}")
    for name in DECLARATION_FIELDS:
        if not isinstance(body.get(name), str) or not body[name].strip():
            raise ClientException(f"{name} must be a non-empty string")
    try:
        owner = normalise_personal_code(body["owner_personal_code"])
        code = normalise_personal_code(body["personal_code"])
    except ValueError:
        raise ClientException("personal codes must be valid Latvian personal codes") from None
    declared_on = body.get("declared_on")
    try:
        day = date.fromisoformat(declared_on) if isinstance(declared_on, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ClientException("declared_on must be a YYYY-MM-DD date")
    entry = {
        "property_address": body["property_address"],
        "name": body["name"],
        "personal_code": code,
        "declared_on": day.isoformat(),
        "legal_basis": str(body.get("legal_basis") or "lease"),
    }
    return owner, entry


@post("/population-register/declared-persons", status_code=201)
async def add_declared_person(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Declare one more person at an owner's property (answered from then on, until reset)."""
    owner, entry = parse_declaration(await _json(request))
    state_of(request).declared.setdefault(owner, []).append(entry)
    return entry


@delete("/population-register/declared-persons", status_code=204)
async def clear_declared_persons(request: Request[Any, Any, Any]) -> None:
    state_of(request).declared.clear()


router = Router(
    path="/admin",
    route_handlers=[
        list_faults,
        set_fault,
        clear_fault,
        reset,
        move_clock,
        stats,
        list_sms,
        clear_sms,
        add_declared_person,
        clear_declared_persons,
    ],
    guards=[admin_guard],
    include_in_schema=False,
)
