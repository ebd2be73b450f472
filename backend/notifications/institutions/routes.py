"""`/api/notify/v1`: institutions register templates and send non-legal notices through the
notification centre (docs/notify-api.md). Handlers authorise, rate-limit and call the
service modules; nothing else."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, PathParameter, QueryParameter

from backend.eaddress.institution_api import idempotency
from backend.eaddress.institution_api.institutions import require_enabled
from backend.eaddress.institution_api.routes import token_principal
from backend.eaddress.institution_api.tokens import SCOPE_NOTIFY_SEND
from backend.lib.errors import AppError, RateLimited, Unprocessable
from backend.lib.jsonbody import decode_json
from backend.lib.problems import (
    BODY_TOO_LARGE,
    MALFORMED_PARAMETER,
    Failure,
    problem_response,
    problems,
)
from backend.lib.ratelimit import Limit, enforce
from backend.notifications.institutions import bulk, sending, templates, topics
from backend.notifications.institutions.api_docs import (
    BulkOperation,
    PreviewOperation,
    SendOperation,
    TemplateOperation,
    TopicNoticeOperation,
    TopicOperation,
)

if TYPE_CHECKING:
    from backend.services import Services

API_PREFIX = "/api/notify/v1"
MAX_BODY = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}
SECURITY = [{"institutionToken": [SCOPE_NOTIFY_SEND]}]
TemplateId = Annotated[str, PathParameter(pattern=templates.TEMPLATE_ID.pattern, max_length=64)]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER,
        required=False,
        description="Required: a unique value per notice (e.g. a UUID); a retry with the same "
        "key and body gets the first answer again, with another body 422.",
    ),
]
AUTH: list[Failure] = [
    (401, "invalid_token", "No valid access token."),
    (403, "insufficient_scope", "The token lacks `notify:send`."),
    (429, "rate_limited", "Too many calls this minute; wait `Retry-After` seconds."),
]
BODY: list[Failure] = [(400, "invalid_json", "The body is not JSON."), *BODY_TOO_LARGE]
TEMPLATE_ERRORS: list[Failure] = [
    (422, "invalid_template", "The template breaks a rule; `errors` says where and why."),
    (422, "legal_not_allowed", "Legal notices go to the e-address, never through this API."),
    (409, "version_conflict", "Another version was saved at the same moment."),
]
NOT_FOUND: list[Failure] = [(404, "template_not_found", "No such template (or version) of yours.")]
VALUES: list[Failure] = [
    (422, "invalid_values", "Values missing, unknown or ill-typed; `errors` names them.")
]
SEND_ERRORS: list[Failure] = [
    (400, "idempotency_key_missing", "No Idempotency-Key header."),
    (400, "idempotency_key_invalid", "The Idempotency-Key is not 1-255 visible ASCII."),
    (422, "idempotency_key_reused", "The key came with another body before."),
    (422, "invalid_notification", "The body breaks a rule (the detail says which)."),
]


class TemplateText(msgspec.Struct):
    subject: str
    body: str


class TemplateOut(msgspec.Struct):
    id: str
    version: int
    category: str
    legal: bool
    texts: dict[str, TemplateText]
    placeholders: dict[str, str]
    created_at: str


class PreviewOut(msgspec.Struct):
    id: str
    version: int
    texts: dict[str, TemplateText]


class NoticeAccepted(msgspec.Struct):
    id: str
    template_id: str
    template_version: int
    status: str
    created_at: str


class Delivery(msgspec.Struct):
    status: str
    at: str


class NoticeStatus(NoticeAccepted):
    recipients: int
    deliveries: list[Delivery]


async def _institution(request: Request[Any, Any, Any], services: Services) -> uuid.UUID:
    principal = token_principal(request, services)
    principal.require(SCOPE_NOTIFY_SEND)
    limit = Limit("notify-api", services.settings.notifications.api_per_minute, 60)
    await enforce(services.stores.counters, limit, str(principal.institution_id))
    await require_enabled(principal.institution_id)
    return principal.institution_id


async def _json(request: Request[Any, Any, Any]) -> Any:
    return decode_json(await request.body())


@post(
    "/templates",
    summary="Register a template (a changed one becomes a new version)",
    description="201 with a new version; 200 with the latest when nothing changed. A template "
    "can never be legal: official notices go to the e-address.",
    security=SECURITY,
    request_max_body_size=MAX_BODY,
    responses={
        200: ResponseSpec(TemplateOut, description="Unchanged: the latest version as it is."),
        **problems(AUTH, BODY, TEMPLATE_ERRORS),
    },
    status_code=201,
    operation_class=TemplateOperation,
)
async def create_template(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[TemplateOut]:
    institution = await _institution(request, services)
    template, created = await templates.save(institution, await _json(request))
    body = msgspec.convert(template.as_json(), TemplateOut)
    return Response(body, status_code=201 if created else 200, headers=NO_STORE)


@get(
    "/templates/{template_id:str}",
    summary="A template (its latest version, or ?version=N)",
    security=SECURITY,
    responses=problems(AUTH, NOT_FOUND, MALFORMED_PARAMETER),
)
async def get_template(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    template_id: TemplateId,
    version: Annotated[int | None, QueryParameter(ge=1, le=10**6)] = None,
) -> Response[TemplateOut]:
    institution = await _institution(request, services)
    template = await templates.load(institution, template_id, version)
    return Response(msgspec.convert(template.as_json(), TemplateOut), headers=NO_STORE)


@post(
    "/templates/{template_id:str}/preview",
    summary="Render a template with sample values, in every language",
    description='Body: {"values": {...}, "version": N (optional, default the latest)}.',
    security=SECURITY,
    request_max_body_size=MAX_BODY,
    responses=problems(AUTH, BODY, NOT_FOUND, VALUES, MALFORMED_PARAMETER),
    status_code=200,
    operation_class=PreviewOperation,
)
async def preview_template(
    request: Request[Any, Any, Any], services: NamedDependency[Services], template_id: TemplateId
) -> Response[PreviewOut]:
    institution = await _institution(request, services)
    body = await _json(request)
    if not isinstance(body, dict) or not set(body) <= {"values", "version"}:
        raise Unprocessable(
            'The body is {"values": {...}} with an optional "version".', code="invalid_values"
        )
    version = body.get("version")
    if "version" in body and not (
        isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= 10**6
    ):
        raise Unprocessable(
            "`version` must be a version number (1 or more).", code="invalid_values"
        )
    template = await templates.load(institution, template_id, version)
    values = templates.checked_values(template, body.get("values"))
    texts = templates.rendered_texts(template, values)
    out = {"id": template.template_id, "version": template.version, "texts": texts}
    return Response(msgspec.convert(out, PreviewOut), headers=NO_STORE)


@post(
    "/notifications",
    summary="Send a notice from a template to a person or a company",
    description="The person's own choices decide the channels; quiet hours apply. 202: queued "
    "(or `capped`: the recipient's daily cap is full; `no_recipient`: nobody to tell).",
    security=SECURITY,
    request_max_body_size=MAX_BODY,
    responses=problems(AUTH, BODY, SEND_ERRORS, NOT_FOUND, VALUES, MALFORMED_PARAMETER),
    status_code=202,
    operation_class=SendOperation,
    response_headers=[
        ResponseHeader(
            name="Location",
            description="The notice's status URL.",
            required=True,
            documentation_only=True,
        ),
        ResponseHeader(
            name="Idempotent-Replayed",
            description="`true` when this is the stored answer to an earlier request.",
            documentation_only=True,
        ),
    ],
)
async def send_notification(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    idempotency_key: IdempotencyKey = None,
) -> Response[NoticeAccepted]:
    institution = await _institution(request, services)
    answer = await sending.send(
        institution,
        idempotency_key,
        await _json(request),
        counters=services.stores.counters,
        settings=services.settings.notifications,
    )
    headers = {**NO_STORE, "Location": f"{API_PREFIX}/notifications/{answer.body['id']}"}
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        msgspec.convert(answer.body, NoticeAccepted),
        status_code=answer.status_code,
        headers=headers,
    )


@get(
    "/notifications/{notification_id:uuid}",
    summary="What became of a notice: overall and per channel attempt (channels unnamed)",
    security=SECURITY,
    responses=problems(
        AUTH, [(404, "notification_not_found", "No such notice of yours.")], MALFORMED_PARAMETER
    ),
)
async def notification_status(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    notification_id: FromPath[uuid.UUID],
) -> Response[NoticeStatus]:
    institution = await _institution(request, services)
    found = await sending.status(institution, notification_id)
    return Response(msgspec.convert(found, NoticeStatus), headers=NO_STORE)


class BulkOutcomes(msgspec.Struct):
    queued: int
    capped: int
    no_recipient: int
    unsubscribed: int
    invalid: int


class BulkProgress(msgspec.Struct):
    id: str
    template_id: str
    template_version: int
    status: str
    total: int
    processed: int
    outcomes: BulkOutcomes
    created_at: str
    finished_at: str | None


class BulkReportItem(msgspec.Struct):
    position: int
    status: str
    notification_id: str | None
    problem: str | None


class BulkReport(msgspec.Struct):
    items: list[BulkReportItem]
    next_after: int | None


BULK_NOT_FOUND: list[Failure] = [(404, "bulk_not_found", "No such bulk job of yours.")]
BULK_ERRORS: list[Failure] = [
    *SEND_ERRORS[:3],
    (422, "invalid_bulk", "The body breaks a rule (the detail says which)."),
]


@post(
    "/bulk",
    summary=f"Send one template to up to {bulk.MAX_RECIPIENTS} recipients, as a job",
    description="202 at once with the job's progress; the worker sends, and each item's "
    "outcome is in the report. Values are checked per item (an item that does not fit is "
    "`invalid` in the report, the others go).",
    security=SECURITY,
    request_max_body_size=bulk.MAX_BODY,
    responses=problems(AUTH, BODY, BULK_ERRORS, NOT_FOUND, MALFORMED_PARAMETER),
    status_code=202,
    operation_class=BulkOperation,
    response_headers=[
        ResponseHeader(
            name="Location", description="The job's progress URL.", required=True,
            documentation_only=True,
        ),
        ResponseHeader(
            name="Idempotent-Replayed",
            description="`true` when this is the stored answer to an earlier request.",
            documentation_only=True,
        ),
    ],
)  # fmt: skip
async def create_bulk(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    idempotency_key: IdempotencyKey = None,
) -> Response[BulkProgress]:
    institution = await _institution(request, services)
    answer = await bulk.create(institution, idempotency_key, await _json(request))
    headers = {**NO_STORE, "Location": f"{API_PREFIX}/bulk/{answer.body['id']}"}
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(msgspec.convert(answer.body, BulkProgress), status_code=202, headers=headers)


@get(
    "/bulk/{bulk_id:uuid}",
    summary="A bulk job's progress",
    security=SECURITY,
    responses=problems(AUTH, BULK_NOT_FOUND, MALFORMED_PARAMETER),
)
async def bulk_progress(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    bulk_id: FromPath[uuid.UUID],
) -> Response[BulkProgress]:
    institution = await _institution(request, services)
    found = await bulk.progress(institution, bulk_id)
    return Response(msgspec.convert(found, BulkProgress), headers=NO_STORE)


@get(
    "/bulk/{bulk_id:uuid}/report",
    summary="A bulk job's per-recipient outcomes, in the order sent",
    description="Pages of `limit` items; pass `next_after` as `after` for the next page.",
    security=SECURITY,
    responses=problems(AUTH, BULK_NOT_FOUND, MALFORMED_PARAMETER),
)
async def bulk_report(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    bulk_id: FromPath[uuid.UUID],
    after: Annotated[int, QueryParameter(ge=-1, le=bulk.MAX_RECIPIENTS)] = -1,
    limit: Annotated[int, QueryParameter(ge=1, le=bulk.REPORT_PAGE)] = bulk.REPORT_PAGE,
) -> Response[BulkReport]:
    institution = await _institution(request, services)
    found = await bulk.report(institution, bulk_id, after=after, limit=limit)
    return Response(msgspec.convert(found, BulkReport), headers=NO_STORE)


class TopicNames(msgspec.Struct):
    lv: str
    en: str
    ru: str


class TopicOut(msgspec.Struct):
    id: str
    category: str
    names: TopicNames
    subscribers: int


class TopicList(msgspec.Struct):
    topics: list[TopicOut]


TOPIC_ERRORS: list[Failure] = [
    (422, "invalid_topic", "The topic breaks a rule (the detail says which)."),
    (422, "legal_not_allowed", "Legal notices go to the e-address, never through this API."),
]
TOPIC_NOT_FOUND: list[Failure] = [(404, "topic_not_found", "No such topic of yours.")]


@post(
    "/topics",
    summary="Declare a topic people can subscribe to (or change its names)",
    description="201 when new, 200 when it existed (names and category updated).",
    security=SECURITY,
    request_max_body_size=MAX_BODY,
    responses={
        200: ResponseSpec(TopicOut, description="The topic existed; now as sent."),
        **problems(AUTH, BODY, TOPIC_ERRORS),
    },
    status_code=201,
    operation_class=TopicOperation,
)
async def declare_topic(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[TopicOut]:
    institution = await _institution(request, services)
    found, created = await topics.declare(institution, await _json(request))
    return Response(
        msgspec.convert(found, TopicOut), status_code=201 if created else 200, headers=NO_STORE
    )


@get(
    "/topics",
    summary="Your topics, with how many people subscribe to each",
    security=SECURITY,
    responses=problems(AUTH),
)
async def list_topics(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[TopicList]:
    institution = await _institution(request, services)
    found = {"topics": await topics.own_topics(institution)}
    return Response(msgspec.convert(found, TopicList), headers=NO_STORE)


@post(
    "/topics/{topic_id:str}/notices",
    summary="Send a notice to a topic's subscribers, as a bulk job",
    description="The subscribers of this moment; one who unsubscribes before their item is "
    "sent is skipped (`unsubscribed`), and queued notices of the topic end at once.",
    security=SECURITY,
    request_max_body_size=MAX_BODY,
    responses=problems(AUTH, BODY, BULK_ERRORS, NOT_FOUND, TOPIC_NOT_FOUND, VALUES,
                       MALFORMED_PARAMETER),
    status_code=202,
    operation_class=TopicNoticeOperation,
    response_headers=[
        ResponseHeader(
            name="Location", description="The job's progress URL.", required=True,
            documentation_only=True,
        ),
        ResponseHeader(
            name="Idempotent-Replayed",
            description="`true` when this is the stored answer to an earlier request.",
            documentation_only=True,
        ),
    ],
)  # fmt: skip
async def notice_to_topic(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    topic_id: TemplateId,
    idempotency_key: IdempotencyKey = None,
) -> Response[BulkProgress]:
    institution = await _institution(request, services)
    answer = await bulk.create_for_topic(
        institution, topic_id, idempotency_key, await _json(request)
    )
    headers = {**NO_STORE, "Location": f"{API_PREFIX}/bulk/{answer.body['id']}"}
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(msgspec.convert(answer.body, BulkProgress), status_code=202, headers=headers)


def handle_api_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    """problem+json with the fields a template broke (`errors`), Retry-After on 429 and the
    WWW-Authenticate header of token errors."""
    headers = dict(getattr(exc, "headers", None) or {})
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, exc.retry_after))
    return problem_response(
        exc.status_code, exc.code, exc.message, errors=getattr(exc, "errors", None),
        headers=headers or None,
    )  # fmt: skip


def build_router() -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[
            create_template,
            get_template,
            preview_template,
            send_notification,
            notification_status,
            create_bulk,
            bulk_progress,
            bulk_report,
            declare_topic,
            list_topics,
            notice_to_topic,
        ],
        exception_handlers={AppError: handle_api_error},
        tags=["Notifications for institutions"],
    )
