"""Public pages: the language switch; `safe_next` and `is_prefetch` for the page handlers
(the home is `home.py`)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from backend.web.i18n import LANGUAGES
from backend.web.request_context import LANGUAGE_COOKIE

ONE_YEAR_S = 365 * 24 * 3600


def safe_next(next_path: str | None, default: str = "/") -> str:
    """Only same-origin relative paths: `//evil.example` and `https://…` fall back to `default`."""
    if not next_path or not next_path.startswith("/") or next_path.startswith(("//", "/\\")):
        return default
    return next_path


@get("/language/{language:str}", include_in_schema=False)
async def switch_language(
    language: FromPath[str],
    next: FromQuery[str | None] = None,
) -> Response[None]:
    """Remember the chosen language in a cookie and go back to where the person was."""
    redirect = Redirect(safe_next(next))
    if language in LANGUAGES:
        redirect.set_cookie(
            LANGUAGE_COOKIE, language, max_age=ONE_YEAR_S, samesite="lax", httponly=True
        )
    return redirect


def is_prefetch(request: Request[Any, Any, Any]) -> bool:
    """Speculative loads (link prefetch, prerender) say so in these headers: such a load is
    not the person looking, so it must not mark anything seen or opened."""
    purpose = request.headers.get("sec-purpose", "") + request.headers.get("purpose", "")
    return "prefetch" in purpose or "prerender" in purpose
