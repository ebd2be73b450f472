"""The `/api/catalogue/v1` router: public reads and search, and the publishing API."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router

from backend.catalogue.api import public, publishing
from backend.lib.errors import AppError
from backend.lib.problems import problem_response

API_PREFIX = "/api/catalogue/v1"


def handle_api_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    """problem+json as everywhere, plus the field paths of an invalid entry (`errors`) and the
    WWW-Authenticate header of token errors."""
    return problem_response(
        exc.status_code,
        exc.code,
        exc.message,
        errors=getattr(exc, "errors", None),
        headers=getattr(exc, "headers", None),
    )


def build_router() -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[*public.ROUTES, *publishing.ROUTES],
        exception_handlers={AppError: handle_api_error},
        tags=["Service catalogue"],
    )
