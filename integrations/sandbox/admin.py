"""Admin API of the sandbox (bearer: the admin token): faults, clock, counters, reset, SMS."""

from __future__ import annotations

import hmac
import json
from typing import Any

from litestar import Request, Router, delete, get, post, put
from litestar.connection import ASGIConnection
from litestar.exceptions import ClientException, NotAuthorizedException, NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath

from integrations.sandbox.faults import parse_fault
from integrations.sandbox.settings import PREFIXES
from integrations.sandbox.state import state_of


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
    ],
    guards=[admin_guard],
    include_in_schema=False,
)
