"""`/catalogue/preview/{token}`: a version of a service as the portal will show it, for the
institution's reviewers before it is public (the signed link is the authorization)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromPath
from litestar.response import Template

from backend.catalogue import store
from backend.catalogue.model import Service
from backend.catalogue.preview import PATH, read_token
from backend.catalogue.publishing import KIND
from backend.lib.errors import NotFound

if TYPE_CHECKING:
    from backend.services import Services

# The token is in the URL: keep the page out of caches, search engines and Referer headers.
HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}


@get(PATH + "/{token:str}", include_in_schema=False)
async def preview_page(services: NamedDependency[Services], token: FromPath[str]) -> Template:
    target = read_token(services.settings.web.secret_key, token)
    found = None if target is None else await store.version_of(KIND, target.service_id,
                                                                target.version)  # fmt: skip
    if found is None or found.content is None:
        raise NotFound("This preview link is invalid or has expired.", code="preview_not_found")
    service = msgspec.convert(found.content, Service)
    await services.catalogue.ensure_current()
    institution = services.catalogue.institution_by_id(service.institution)
    return Template(
        "pages/catalogue/preview.html",
        context={"service": service, "version": found, "institution": institution},
        headers=HEADERS,
        media_type=MediaType.HTML,
    )


ROUTES = [preview_page]
