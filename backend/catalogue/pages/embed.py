"""The widget other sites embed in an iframe (`/embed/services/{slug}`,
`/embed/life-situations/{slug}`), always current, in the host page's language (`?lang=`; the
request context honours it), and may be framed by any site (`frame-ancestors *` on /embed only,
set in `backend/web/request_context.py`). See docs/embed.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from backend.catalogue.pages.common import (
    catalogue,
    language,
    origin_of,
    service_or_404,
    situation_or_404,
)

if TYPE_CHECKING:
    from backend.services import Services

# Cached briefly by browsers and proxies: a widget is public and the same for everyone who
# asks in the same language (without `?lang=` the language comes from these headers).
EMBED_CACHE = {"Cache-Control": "public, max-age=300", "Vary": "Accept-Language, Cookie"}


@get("/embed/services/{slug:str}", include_in_schema=False)
async def embed_service(services: NamedDependency[Services], slug: FromPath[str]) -> Template:
    cat = await catalogue(services)
    service = service_or_404(cat, slug)
    return Template(
        "pages/catalogue/embed.html",
        context={
            "lang": language(),
            "origin": origin_of(services),
            "service": service,
            "situation": None,
            "institution": cat.institution_by_id(service.institution),
        },
        headers=EMBED_CACHE,
    )


@get("/embed/life-situations/{slug:str}", include_in_schema=False)
async def embed_situation(services: NamedDependency[Services], slug: FromPath[str]) -> Template:
    cat = await catalogue(services)
    situation = situation_or_404(cat, slug)
    return Template(
        "pages/catalogue/embed.html",
        context={
            "lang": language(),
            "origin": origin_of(services),
            "service": None,
            "situation": situation,
            "institution": None,
        },
        headers=EMBED_CACHE,
    )


ROUTES = [embed_service, embed_situation]
