"""GraphQL types of the catalogue."""

from __future__ import annotations

import strawberry


@strawberry.type(description="One search answer, as GET /api/catalogue/v1/search gives it.")
class CatalogueSearchResult:
    id: strawberry.ID
    kind: str = strawberry.field(description="`service` or `life_situation`.")
    title: str
    url: str = strawberry.field(description="The entry's public page (absolute).")
    snippet: str
    score: float
