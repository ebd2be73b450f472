"""One place that turns exceptions into responses: JSON for API clients, HTML for people.

Expected failures keep their code and message. Unexpected ones are logged by type and place
only (an exception message may contain SQL or personal data) and answered with a generic 500.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template

from backend.lib.errors import AppError, RateLimited
from backend.lib.problems import problem_response
from backend.lib.validation import explain

log = logging.getLogger("vienuviet.web")

API_PREFIXES = ("/graphql", "/api/", "/oauth/", "/healthz", "/readyz", "/schema")


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """API paths and non-browser clients get JSON; a browser navigation gets a page."""
    if request.url.path.startswith(API_PREFIXES):
        return True
    return "text/html" not in request.headers.get("accept", "")


def _code_for_status(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def error_response(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    *,
    extra: Any = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    if wants_json(request):
        return problem_response(status, code, message, errors=extra, headers=headers)
    headers = {"Cache-Control": "no-store", **(headers or {})}
    # The error page offers the places a signed-in person goes next. Handlers here are
    # synchronous and a 404 never reached a route, so the session is not looked up: a session
    # cookie is enough to offer the links (each still asks for a login if it has ended).
    services = request.app.state.get("services")
    signed_in = bool(services and request.cookies.get(services.auth.cookies.session))
    return Template(
        "pages/error.html",
        context={"status": status, "code": code, "message": message, "signed_in": signed_in},
        status_code=status,
        headers=headers,
        media_type=MediaType.HTML,
    )


def handle_app_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return error_response(request, exc.status_code, exc.code, exc.message, headers=headers)


def handle_login_required(request: Request[Any, Any, Any], exc: Any) -> Response[Any]:
    """A page that needs a login (or a stronger one: `StepUpLogin`) sends a browser to it
    (and back afterwards)."""
    if wants_json(request):
        return error_response(request, exc.status_code, exc.code, exc.detail)
    return Redirect(exc.login_url, status_code=303)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return handle_unexpected(request, exc)
    message, extra = exc.detail or HTTPStatus(status).phrase, None
    if isinstance(exc, ValidationException) and (explained := _invalid_parameters(exc.extra)):
        message, extra = explained
    return error_response(
        request, status, _code_for_status(status), message, extra=extra, headers=exc.headers
    )


_SOURCES = {
    "query": "The query parameter",
    "path": "The path parameter",
    "header": "The header",
    "cookie": "The cookie",
}


def _source(item: dict[str, Any]) -> str:
    source = item.get("source", "")
    return str(getattr(source, "value", source))  # Litestar's ParamType, a str enum


def _invalid_parameters(extra: Any) -> tuple[str, list[dict[str, str]]] | None:
    """Litestar's parameter validation in words. Its own detail repeats the URL ("Validation
    failed for GET /…?limit=ten") and its messages are msgspec's ("Expected `int | null`, got
    `str`"); the client gets which parameter, and what it should be."""
    items = [item for item in extra or [] if isinstance(item, dict) and item.get("key")]
    if not items:
        return None
    errors = [
        {
            "key": str(item["key"]),
            "source": _source(item),
            "message": explain(
                str(item.get("message", "")), whole=f"`{item['key']}`", drop_null=True
            ),
        }
        for item in items
    ]
    first = items[0]
    where = _SOURCES.get(_source(first), "The parameter")
    detail = explain(
        str(first.get("message", "")), whole=f"{where} `{first['key']}`", drop_null=True
    )
    return detail, errors


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
    log.error(
        "unexpected %s on %s %s at %s", type(exc).__name__, request.method, _route(request), where
    )
    return error_response(request, 500, "internal_error", "Something went wrong on our side.")


def _route(request: Request[Any, Any, Any]) -> str:
    """The route template, not the concrete path: paths may carry identifiers."""
    handler = request.scope.get("route_handler")
    paths = getattr(handler, "paths", None)
    return next(iter(paths)) if paths else "<unmatched>"
