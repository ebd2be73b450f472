"""Catalogue fields of the root query: search, open to anyone (the catalogue is public)."""

from __future__ import annotations

import strawberry

from backend.catalogue.graphql.types import CatalogueSearchResult
from backend.graphql.context import Info
from backend.lib.errors import BadInput

LANGUAGES = ("lv", "en", "ru")
MAX_QUERY = 200
MAX_RESULTS = 50


@strawberry.type
class CatalogueQuery:
    @strawberry.field(
        description="Services and life situations for what a person wrote, best first; the "
        "same answers as GET /api/catalogue/v1/search. Error `bad_input` for an empty or long "
        f"`q` (1-{MAX_QUERY} characters), a `lang` other than lv/en/ru or a `limit` outside "
        f"1-{MAX_RESULTS}."
    )
    async def catalogue_search(
        self, info: Info, q: str, lang: str = "lv", limit: int = 10
    ) -> list[CatalogueSearchResult]:
        if not 1 <= len(q) <= MAX_QUERY:
            raise BadInput(f"`q` must have 1-{MAX_QUERY} characters.")
        if lang not in LANGUAGES:
            raise BadInput("`lang` must be lv, en or ru.")
        if not 1 <= limit <= MAX_RESULTS:
            raise BadInput(f"`limit` must be 1-{MAX_RESULTS}.")
        services = info.context.services
        await services.catalogue.ensure_current()
        origin = services.settings.web.public_url
        return [
            CatalogueSearchResult(
                id=strawberry.ID(r.id),
                kind=r.kind,
                title=r.title.text,
                url=origin + r.url,
                snippet=r.snippet.text,
                score=round(r.score, 4),
            )
            for r in services.catalogue.search(q, lang, limit)
        ]
