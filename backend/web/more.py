"""/more: on a phone the navigation is a bar of five tabs (home, mail, obligations,
notifications, more); every other destination, the language and logging out are here.

Part of the shell, like the navigation itself: it reads nothing but the viewer and whether
they may act for a company (`nav_company`, worked out by `navigation.remember_navigation`).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from backend.auth.viewer import Viewer
from backend.web.gql import LoginRequired


@get("/more", include_in_schema=False)
async def more_page(
    request: Request[Any, Any, Any], viewer: NamedDependency[Viewer | None]
) -> Template:
    if viewer is None:
        raise LoginRequired("/more")
    return Template(
        "pages/more.html",
        context={"viewer": viewer},
        headers={"Cache-Control": "private, no-store"},
    )
