"""The institution feedback API.

Who reads what: a client holding `feedback:read` and linked to one catalogue institution
(`vienuviet catalogue link`, the same link that lets it publish) reads the answers routed to
that institution — its services, the life situations it is responsible for, its own page —
and nothing else. Comments were masked when they were stored.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from backend.catalogue.publishers import institution_of
from backend.eaddress.institution_api.institutions import require_enabled
from backend.eaddress.institution_api.routes import token_principal
from backend.eaddress.institution_api.tokens import SCOPE_FEEDBACK_ANSWER, SCOPE_FEEDBACK_READ
from backend.feedback import ratings, reports, service
from backend.lib.errors import AppError, BadInput, Forbidden
from backend.lib.jsonbody import decode_json
from backend.lib.problems import MALFORMED_PARAMETER, problem_response, problems
from backend.lib.time import utcnow

if TYPE_CHECKING:
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


class ReportOut(msgspec.Struct):
    reference: str
    kind: str
    """`technical` or `content`."""
    path: str
    description: str
    """Masked like comments."""
    status: str
    """`received`, `in_progress` or `resolved`."""
    answer: str | None
    created_at: datetime
    updated_at: datetime


class ReportsAnswer(msgspec.Struct):
    institution: str
    items: list[ReportOut]
    """Newest first."""


class ReportAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    """`received`, `in_progress` or `resolved`."""
    answer: str | None = None
    """What the reporter reads on their report's page (plain text)."""


def _report_out(r: reports.Report) -> ReportOut:
    return ReportOut(
        r.reference, r.kind, r.path, r.description, r.status, r.answer, r.created_at,
        r.updated_at,
    )  # fmt: skip


async def _institution(
    request: Request[Any, Any, Any], services: Services, scope: str = SCOPE_FEEDBACK_READ
) -> str:
    principal = token_principal(request, services)
    principal.require(scope)
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


@get(
    "/reports",
    summary="The newest problem reports about your pages",
    security=SECURITY,
    responses=problems(MALFORMED_PARAMETER, AUTH),
)
async def list_reports(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    limit: Annotated[
        int, QueryParameter(description=f"How many, 1-{MAX_LIMIT}.", ge=1, le=MAX_LIMIT)
    ] = 50,
) -> Response[ReportsAnswer]:
    institution = await _institution(request, services)
    found = await reports.reports_for(institution, limit)
    return Response(ReportsAnswer(institution, [_report_out(r) for r in found]), headers=NO_STORE)


@post(
    "/reports/{reference:str}/answer",
    summary="Set a report's status and the answer its reporter reads",
    security=[{"institutionToken": [SCOPE_FEEDBACK_ANSWER]}],
    responses=problems(
        MALFORMED_PARAMETER,
        AUTH,
        [
            (400, "invalid_json", "The body is not JSON."),
            (400, "invalid_status", "`status` is not one of the three."),
            (400, "answer_too_long", "`answer` is longer than 4000 characters."),
            (404, "report_not_found", "No report of yours has this reference."),
        ],
    ),
    request_max_body_size=16 * 1024,
    status_code=200,
)
async def answer_report(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    reference: Annotated[str, PathParameter(pattern=r"^P-[0-9A-Z]{8}$", max_length=10)],
) -> Response[ReportOut]:
    institution = await _institution(request, services, SCOPE_FEEDBACK_ANSWER)
    try:
        body = msgspec.convert(decode_json(await request.body()), ReportAnswerIn)
    except msgspec.ValidationError as exc:
        raise BadInput(str(exc), code="invalid_body") from None
    done = await reports.answer_report(
        institution, reference, status=body.status, answer=body.answer, now=utcnow()
    )
    return Response(_report_out(done), headers=NO_STORE)


class ServiceScoreOut(msgspec.Struct):
    service: str
    """The catalogue's service id."""
    ratings: int
    average: float
    """Mean of the 1-5 ratings given after a decision."""


class RatingsAnswer(msgspec.Struct):
    institution: str
    services: list[ServiceScoreOut]


@get(
    "/ratings",
    summary="Ratings of your e-services (1-5) given after a decision",
    security=SECURITY,
    responses=problems(AUTH),
)
async def service_ratings(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[RatingsAnswer]:
    institution = await _institution(request, services)
    found = await ratings.scores_for(institution)
    body = RatingsAnswer(
        institution, [ServiceScoreOut(s.service, s.ratings, s.average) for s in found]
    )
    return Response(body, headers=NO_STORE)


def _problem(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    return problem_response(
        exc.status_code, exc.code, exc.message, headers=getattr(exc, "headers", None)
    )


def build_router() -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[pages, comments, list_reports, answer_report, service_ratings],
        exception_handlers={AppError: _problem},
        tags=["Feedback"],
    )
