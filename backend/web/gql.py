"""Pages read and write through the GraphQL schema, executed in-process: one data path.

`page_query` runs a document with the same Context an HTTP request would get and turns the
errors a page cannot show inline into the right HTTP answer (log in, forbidden, unavailable).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.exceptions import HTTPException

from backend.auth.viewer import Viewer
from backend.graphql.context import Context
from backend.graphql.http import execute
from backend.lib.errors import AppError, Forbidden, NotFound, RateLimited
from backend.services import Services


class LoginRequired(HTTPException):
    """The page needs a logged-in person; the handler redirects to the login."""

    status_code = 401

    def __init__(self, next_path: str) -> None:
        super().__init__(detail="Log in to see this page.")
        self.login_url = f"/auth/login?next={quote(next_path, safe='/')}"


def _raise_for(errors: list[dict[str, Any]], request: Request[Any, Any, Any]) -> None:
    code = (errors[0].get("extensions") or {}).get("code")
    message = str(errors[0].get("message", ""))
    if code == "unauthenticated":
        raise LoginRequired(request.url.path)
    if code == "forbidden":
        raise Forbidden(message)
    if code == "not_found":
        raise NotFound(message)
    if code == "rate_limited":
        raise RateLimited(message, retry_after=60)
    raise AppError(message or "The request could not be completed.", code=str(code or "error"))


async def page_query(
    request: Request[Any, Any, Any],
    services: Services,
    viewer: Viewer | None,
    document: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `data` of `document`; raises (see module docstring) when it carries errors."""
    context = Context(services=services, viewer=viewer, request=request)
    _, body = await execute(services, context, document, variables)
    if body.get("errors"):
        _raise_for(body["errors"], request)
    data: dict[str, Any] = body.get("data") or {}
    return data


async def lenient_query(
    request: Request[Any, Any, Any],
    services: Services,
    viewer: Viewer | None,
    document: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `data` of `document`, whatever errors it carries (their fields are null): for
    extras around a page, such as the navigation's counts, that must never break it."""
    context = Context(services=services, viewer=viewer, request=request)
    _, body = await execute(services, context, document, variables)
    data: dict[str, Any] = body.get("data") or {}
    return data
