"""The home page for visitors: search first, the life situations, this season's notes (the same
block signed-in people see) and entry points for residents, entrepreneurs and foreigners.

`/` itself stays in `backend/dashboard/pages/home.py` (a signed-in person's home is their
dashboard); it hands visitors to `visitor_home`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.response import Template

from backend.catalogue.model import Audience
from backend.catalogue.pages.common import catalogue, language, public_situations
from backend.web.gql import lenient_query

if TYPE_CHECKING:
    from backend.services import Services

SEASONAL = "query Season { seasonalHighlights { id title text actionUrl ends } }"


async def visitor_home(request: Request[Any, Any, Any], services: Services) -> Template:
    cat = await catalogue(services)
    data = await lenient_query(request, services, None, SEASONAL)
    return Template(
        "pages/home.html",
        context={
            "viewer": None,
            "lang": language(),
            "situations": public_situations(cat),
            "audiences": list(Audience),
            "highlights": data.get("seasonalHighlights") or [],
        },
    )
