"""Pages read and write through the GraphQL schema, executed in-process: one data path.

`page_query` runs a document with the same Context an HTTP request would get and turns the
errors a page cannot show inline into the right HTTP answer (log in, forbidden, unavailable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from litestar import Request
from litestar.exceptions import HTTPException

from backend.auth.assurance import STEP_UP, Level
from backend.auth.viewer import Viewer
from backend.graphql.context import Context
from backend.graphql.http import execute
from backend.graphql.permissions import step_up_url
from backend.lib.errors import AppError, Forbidden, NotFound, RateLimited

if TYPE_CHECKING:
    from backend.services import Services


class LoginRequired(HTTPException):
    """The page needs a logged-in person; the handler redirects to the login."""

    status_code = 401
    code = "unauthenticated"

    def __init__(self, next_path: str) -> None:
        super().__init__(detail="Log in to see this page.")
        self.login_url = f"/auth/login?next={quote(next_path, safe='/')}"


class StepUpLogin(LoginRequired):
    """The page is about a subject the login is too weak for (the company level): the
    handler sends the browser to log in again at the level needed, and back here."""

    status_code = 403
    code = STEP_UP

    def __init__(self, level: Level, next_path: str) -> None:
        super().__init__(next_path)
        self.detail = "Log in with eParaksts or an eID card to continue."
        self.login_url = step_up_url(level, next_path)


def _raise_for(errors: list[dict[str, Any]], request: Request[Any, Any, Any]) -> None:
    extensions = errors[0].get("extensions") or {}
    code = extensions.get("code")
    message = str(errors[0].get("message", ""))
    if code == "unauthenticated":
        raise LoginRequired(request.url.path)
    if code == STEP_UP and str(extensions.get("requiredLevel")) in Level.__members__:
        query = f"?{request.url.query}" if request.url.query else ""
        raise StepUpLogin(Level[str(extensions["requiredLevel"])], request.url.path + query)
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
