"""The institution feedback API.

Who reads what: a client holding `feedback:read` and linked to one catalogue institution
(`vienuviet catalogue link`, the same link that lets it publish) reads the answers routed to
that institution — its services, the life situations it is responsible for, its own page —
and nothing else. Comments were masked when they were stored.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from backend.catalogue.publishers import institution_of
from backend.eaddress.institution_api.institutions import require_enabled
from backend.eaddress.institution_api.routes import token_principal
from backend.eaddress.institution_api.tokens import SCOPE_FEEDBACK_READ
from backend.feedback import service
from backend.lib.errors import AppError, Forbidden
from backend.lib.problems import MALFORMED_PARAMETER, problem_response, problems
from backend.services import Services

API_PREFIX = "/api/feedback/v1"
NO_STORE = {"Cache-Control": "no-store"}
SECURITY = [{"institutionToken": [SCOPE_FEEDBACK_READ]}]
AUTH = [
    (401, "invalid_token", "No valid access token."),
    (403, "insufficient_scope", "The token lacks `feedback:read`."),
    (403, "not_linked", "The client is not linked to a catalogue institution."),
]
MAX_LIMIT = 200


class PageCounts(msgspec.Struct):
    path: str
    """The page's path on the portal (no query string), e.g. `/services/passport`."""
    yes: int
    no: int


class PagesAnswer(msgspec.Struct):
    institution: str
    """Your catalogue institution's id."""
    pages: list[PageCounts]
    """Every page of yours with at least one answer, by path."""


class CommentOut(msgspec.Struct):
    id: uuid.UUID
    path: str
    comment: str
    """What the person was looking for; personal codes, e-mail addresses and phone numbers
    were replaced by markers before storing."""
    language: str
    created_at: datetime


class CommentsAnswer(msgspec.Struct):
    institution: str
    items: list[CommentOut]
    """Newest first."""


async def _institution(request: Request[Any, Any, Any], services: Services) -> str:
    principal = token_principal(request, services)
    principal.require(SCOPE_FEEDBACK_READ)
    await require_enabled(principal.institution_id)
    institution = await institution_of(principal.institution_id)
    if institution is None:
        raise Forbidden(
            "This client is not linked to a catalogue institution (vienuviet catalogue link).",
            code="not_linked",
        )
    return institution


@get(
    "/pages",
    summary="Yes and no answers per page of yours",
    security=SECURITY,
    responses=problems(AUTH),
)
async def pages(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[PagesAnswer]:
    institution = await _institution(request, services)
    counts = await service.page_counts(institution)
    body = PagesAnswer(institution, [PageCounts(c.key, c.yes, c.no) for c in counts])
    return Response(body, headers=NO_STORE)


@get(
    "/comments",
    summary="The newest comments on your pages",
    security=SECURITY,
    responses=problems(MALFORMED_PARAMETER, AUTH),
)
async def comments(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    limit: Annotated[
        int, QueryParameter(description=f"How many, 1-{MAX_LIMIT}.", ge=1, le=MAX_LIMIT)
    ] = 50,
) -> Response[CommentsAnswer]:
    institution = await _institution(request, services)
    found = await service.comments(institution, limit)
    items = [CommentOut(c.id, c.path, c.comment, c.language, c.created_at) for c in found]
    return Response(CommentsAnswer(institution, items), headers=NO_STORE)


def _problem(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    return problem_response(
        exc.status_code, exc.code, exc.message, headers=getattr(exc, "headers", None)
    )


def build_router() -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[pages, comments],
        exception_handlers={AppError: _problem},
        tags=["Feedback"],
    )
