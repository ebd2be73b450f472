"""`/language/{code}`: the language switch in every page's footer."""

from __future__ import annotations

from litestar import Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from backend.lib.http import safe_next
from backend.lib.i18n import LANGUAGES
from backend.web.request_context import LANGUAGE_COOKIE

ONE_YEAR_S = 365 * 24 * 3600


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
