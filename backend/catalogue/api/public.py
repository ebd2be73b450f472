"""The published catalogue for anyone: lists with cursor pagination, one service, search.

Every answer carries a strong ETag (the hash of its JSON) and `Cache-Control: public`, and a
request whose `If-None-Match` names the current ETag gets 304 with no body: a site that
re-publishes our content polls cheaply and sees a change as soon as it is published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from litestar import Response, get
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from backend.catalogue.api.models import (
    InstitutionsPage,
    LifeSituationsPage,
    SearchAnswer,
    SearchHit,
    ServiceCentresPage,
    ServicesPage,
)
from backend.catalogue.api.paging import DEFAULT_LIMIT, MAX_LIMIT, etag_of, matches, page
from backend.catalogue.model import Service
from backend.lib.errors import NotFound
from backend.lib.problems import MALFORMED_PARAMETER, problems

if TYPE_CHECKING:
    from backend.services import Services

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CACHE = "public, max-age=60"
T = TypeVar("T")

Cursor = Annotated[
    str | None,
    QueryParameter(
        description="`next_cursor` of the previous page.", max_length=200, required=False
    ),
]
Limit = Annotated[
    int,
    QueryParameter(description=f"Items per page, 1-{MAX_LIMIT}.", ge=1, le=MAX_LIMIT),
]
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-None-Match",
        required=False,
        max_length=1000,
        description="The ETag of a copy you hold: 304 and no body while it is current.",
    ),
]
EntryId = Annotated[str, PathParameter(pattern=ID_PATTERN, max_length=80)]
HEADERS = [
    ResponseHeader(
        name="ETag", description="Strong validator of this answer.", documentation_only=True
    ),
    ResponseHeader(name="Cache-Control", description=CACHE, documentation_only=True),
]
NOT_MODIFIED = {304: ResponseSpec(None, description="Your copy (If-None-Match) is current.")}
BAD_CURSOR = [(400, "invalid_cursor", "The cursor is not one this API gave out.")]
NO_SERVICE = [(404, "service_not_found", "No published service has this id.")]


def cached(body: Any, if_none_match: str | None) -> Response[Any]:
    """`body` with its ETag, or 304 when the client's copy is current."""
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": CACHE}
    if matches(if_none_match, etag):
        return Response(content=None, status_code=304, headers=headers)
    return Response(body, headers=headers)


def _paged(items: Sequence[T], cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    key: Callable[[Any], str] = lambda item: item.id  # noqa: E731
    return page(items, key, cursor, limit)


def _list(path: str, summary: str) -> get:
    return get(
        path,
        summary=summary,
        response_headers=HEADERS,
        responses={**NOT_MODIFIED, **problems(MALFORMED_PARAMETER, BAD_CURSOR)},
    )


@_list("/services", "Published services, ordered by id (cursor-paginated)")
async def list_services(
    services: NamedDependency[Services],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    if_none_match: IfNoneMatch = None,
) -> Response[ServicesPage]:
    await services.catalogue.ensure_current()
    items, after = _paged(services.catalogue.services(), cursor, limit)
    return cached(ServicesPage(items, after), if_none_match)


@get(
    "/services/{service_id:str}",
    summary="One published service",
    response_headers=HEADERS,
    responses={**NOT_MODIFIED, **problems(MALFORMED_PARAMETER, NO_SERVICE)},
)
async def one_service(
    services: NamedDependency[Services], service_id: EntryId, if_none_match: IfNoneMatch = None
) -> Response[Service]:
    await services.catalogue.ensure_current()
    found = services.catalogue.service_by_id(service_id)
    if found is None:
        raise NotFound("No published service has this id.", code="service_not_found")
    return cached(found, if_none_match)


@_list("/life-situations", "Published life situations, ordered by id (cursor-paginated)")
async def list_life_situations(
    services: NamedDependency[Services],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    if_none_match: IfNoneMatch = None,
) -> Response[LifeSituationsPage]:
    await services.catalogue.ensure_current()
    items, after = _paged(services.catalogue.life_situations(), cursor, limit)
    return cached(LifeSituationsPage(items, after), if_none_match)


@_list("/institutions", "Institutions responsible for services, ordered by id")
async def list_institutions(
    services: NamedDependency[Services],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    if_none_match: IfNoneMatch = None,
) -> Response[InstitutionsPage]:
    await services.catalogue.ensure_current()
    items, after = _paged(services.catalogue.institutions(), cursor, limit)
    return cached(InstitutionsPage(items, after), if_none_match)


@_list("/service-centres", "State and municipal client service centres (VPVKAC), by id")
async def list_service_centres(
    services: NamedDependency[Services],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
    if_none_match: IfNoneMatch = None,
) -> Response[ServiceCentresPage]:
    await services.catalogue.ensure_current()
    items, after = _paged(services.catalogue.service_centres(), cursor, limit)
    return cached(ServiceCentresPage(items, after), if_none_match)


MAX_RESULTS = 50


@get(
    "/search",
    summary="Search services and life situations as people write",
    description="Understands Latvian inflection, missing diacritics, typos, everyday words and "
    "English and Russian queries. `title` and `snippet` are plain text in `lang`.",
    response_headers=[HEADERS[1]],
    responses=problems(MALFORMED_PARAMETER),
)
async def search(
    services: NamedDependency[Services],
    q: Annotated[
        str, QueryParameter(description="What the person wrote.", min_length=1, max_length=200)
    ],
    lang: Annotated[
        Literal["lv", "en", "ru"], QueryParameter(description="The results' language.")
    ] = "lv",
    limit: Annotated[
        int, QueryParameter(description=f"At most this many, 1-{MAX_RESULTS}.", ge=1, le=50)
    ] = 10,
) -> Response[SearchAnswer]:
    await services.catalogue.ensure_current()
    origin = services.settings.web.public_url
    hits = [
        SearchHit(
            id=r.id,
            kind=r.kind,
            title=r.title.text,
            url=origin + r.url,
            snippet=r.snippet.text,
            score=round(r.score, 4),
        )
        for r in services.catalogue.search(q, lang, limit)
    ]
    return Response(SearchAnswer(hits), headers={"Cache-Control": CACHE})


ROUTES = [
    list_services,
    one_service,
    list_life_situations,
    list_institutions,
    list_service_centres,
    search,
]
