"""`/api/applications/v1`: institutions list, fetch and move the applications for their own
services (OAuth client credentials, scopes `applications:read` and `applications:write`).

Handlers parse and authorise; `backend.applications.institutions` holds the rules (which
applications an institution sees, the step through the machine, the official message).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from backend.applications import institutions as inst
from backend.applications import service as applications
from backend.applications.api.models import (
    ApplicationOut,
    ApplicationsPage,
    StatusName,
    TransitionIn,
    TransitionOut,
)
from backend.applications.machine import Outcome, Status
from backend.applications.service import ApplicationRecord
from backend.applications.tables import ApplicationIdempotency
from backend.catalogue.publishers import institution_of
from backend.catalogue.service import CatalogueService
from backend.eaddress.context import EAddress
from backend.eaddress.institution_api import idempotency
from backend.eaddress.institution_api.api_docs import _require_idempotency_key
from backend.eaddress.institution_api.institutions import require_enabled
from backend.eaddress.institution_api.tokens import (
    SCOPE_APPLICATIONS_READ,
    SCOPE_APPLICATIONS_WRITE,
    InstitutionPrincipal,
    InvalidToken,
)
from backend.lib.db import is_unique_violation, transaction
from backend.lib.errors import AppError, Conflict, Forbidden, Unprocessable
from backend.lib.jsonbody import decode_json
from backend.lib.problems import BODY_TOO_LARGE, MALFORMED_PARAMETER, problem_response, problems
from backend.lib.time import utcnow

API_PREFIX = "/api/applications/v1"
MAX_BODY = 64 * 1024
"""Room for a 2,000-character note even when every character is a \\u escaped pair."""
NO_STORE = {"Cache-Control": "no-store"}
_PATH = re.compile(r" - at `(\$[^`]*)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]*)`")

AUTH = [
    (401, "invalid_token", "No valid access token."),
    (403, "insufficient_scope", "The token lacks the scope this call needs."),
    (403, "not_an_institution", "The client is not linked to a catalogue institution."),
]
NOT_FOUND = [(404, "application_not_found", "No such application for your services.")]
WRITE = [
    (400, "idempotency_key_missing", "No Idempotency-Key header."),
    (400, "idempotency_key_invalid", "The Idempotency-Key is not 1-255 visible ASCII."),
    (400, "invalid_json", "The body is not JSON."),
    (409, "invalid_transition", "The status machine does not allow this step now."),
    (409, "idempotency_key_in_use", "A request with this key is still running."),
    (422, "invalid_body", "The body is wrong; `errors` names each field by its JSON path."),
    (422, "idempotency_key_reused", "The key came with another body before."),
]
BAD_CURSOR = [(400, "invalid_cursor", "The cursor is not one this API gave out.")]
REPLAYED = [
    ResponseHeader(
        name="Idempotent-Replayed",
        description="`true` when this is the stored answer to an earlier request.",
        documentation_only=True,
    )
]
ApplicationId = Annotated[uuid.UUID, PathParameter(description="The application's id.")]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER,
        required=False,
        description="A unique value per step (e.g. a UUID), required: a retry with the same "
        "key and body gets the first answer again; the same key with another body is 422.",
    ),
]

TRANSITION_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["to"],
    additional_properties=False,
    properties={
        "to": Schema(
            type=OpenAPIType.STRING,
            enum=["received", "in_progress", "needs_information", "decided", "closed"],
            description="The status to move to (see the status machine in the guide).",
        ),
        "outcome": Schema(
            one_of=[
                Schema(type=OpenAPIType.STRING, enum=["granted", "refused", "partly"]),
                Schema(type=OpenAPIType.NULL),
            ],
            description="Required with `decided`, and only there.",
        ),
        "note": Schema(
            type=OpenAPIType.STRING,
            max_length=inst.MAX_NOTE,
            description="What the applicant reads: the decision's reasons, the information "
            "needed (required with `needs_information`).",
        ),
    },
)


@dataclass
class TransitionOperation(Operation):
    def __post_init__(self) -> None:
        _require_idempotency_key(self.parameters)
        self.request_body = RequestBody(
            required=True,
            content={"application/json": OpenAPIMediaType(schema=TRANSITION_SCHEMA)},
        )


class InvalidBody(Unprocessable):
    code = "invalid_body"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['path']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class ApiContext:
    """What the handlers need, given by the app factory (not the whole composition root)."""

    catalogue: CatalogueService
    eaddress: EAddress
    """Token checks, the e-address settings and the public URL."""
    engine: Any


@dataclass(frozen=True)
class Pending:
    """One step asked for: its Idempotency-Key, target status and note."""

    key: str
    target: Status
    note: str


@dataclass(frozen=True)
class Caller:
    principal: InstitutionPrincipal
    institution: str
    service_ids: list[str]


def _principal(request: Request[Any, Any, Any], eaddress: EAddress) -> InstitutionPrincipal:
    """The institution a valid bearer token names (the e-address's tokens and keys)."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer " or not header[7:].strip():
        raise InvalidToken("An access token is needed: Authorization: Bearer <token>.")
    token = header[7:].strip()
    return eaddress.tokens.verify(eaddress.keys.token_key, token, issuer=eaddress.public_url)


async def _caller(request: Request[Any, Any, Any], api: ApiContext, scope: str) -> Caller:
    principal = _principal(request, api.eaddress)
    principal.require(scope)
    await require_enabled(principal.institution_id)
    institution = await institution_of(principal.institution_id)
    if institution is None:
        raise Forbidden(
            "This client is not linked to a catalogue institution (vienuviet catalogue link).",
            code="not_an_institution",
        )
    await api.catalogue.ensure_current()
    ids = inst.services_of(api.catalogue.snapshot.catalogue, institution)
    return Caller(principal, institution, ids)


def _case_url(api: ApiContext, record: ApplicationRecord) -> str:
    return f"{api.eaddress.public_url}/applications/{record.id}"


async def _json(api: ApiContext, record: ApplicationRecord) -> dict[str, Any]:
    applicant = await inst.applicant_of(record.subject_key)
    return inst.case_json(record, applicant, _case_url(api, record))


def decode_transition(raw: bytes) -> TransitionIn:
    """The body, or 422 naming every wrong field by its JSON path."""
    data = decode_json(raw)
    if not isinstance(data, dict):
        raise InvalidBody([{"path": "$", "message": "The body must be a JSON object."}])
    try:
        body = msgspec.convert(data, TransitionIn)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _PATH.search(text)
        path = found.group(1) if found else "$"
        if unknown := _UNKNOWN.search(text):  # name the field itself, not the object
            path = f"{path}.{unknown.group(1)}"
        raise InvalidBody([{"path": path, "message": _PATH.sub("", text)}]) from None
    errors: list[dict[str, str]] = []
    if body.to == "decided" and body.outcome is None:
        errors.append({"path": "$.outcome", "message": "A decision needs its outcome."})
    if body.to != "decided" and body.outcome is not None:
        errors.append({"path": "$.outcome", "message": "Only a decision has an outcome."})
    if len(body.note) > inst.MAX_NOTE or "\x00" in body.note:
        errors.append({"path": "$.note", "message": f"At most {inst.MAX_NOTE} characters of text."})
    if body.to == "needs_information" and not body.note.strip():
        errors.append({"path": "$.note", "message": "Say what information is needed."})
    if errors:
        raise InvalidBody(errors)
    return body


@get(
    "/applications",
    summary="Applications for your services, oldest submitted first (cursor-paginated)",
    security=[{"institutionToken": [SCOPE_APPLICATIONS_READ]}],
    responses=problems(MALFORMED_PARAMETER, AUTH, BAD_CURSOR),
)
async def list_applications(
    request: Request[Any, Any, Any],
    api: NamedDependency[ApiContext],
    status: Annotated[
        StatusName | None,
        QueryParameter(description="Only applications in this status.", required=False),
    ] = None,
    cursor: Annotated[
        str | None,
        QueryParameter(
            description="`next_cursor` of the previous page.", max_length=200, required=False
        ),
    ] = None,
    limit: Annotated[
        int,
        QueryParameter(description=f"Items per page, 1-{inst.MAX_PAGE}.", ge=1, le=inst.MAX_PAGE),
    ] = inst.DEFAULT_PAGE,
) -> Response[ApplicationsPage]:
    caller = await _caller(request, api, SCOPE_APPLICATIONS_READ)
    after = inst.Cursor.decode(cursor) if cursor else None
    records, more = await inst.work_list(
        caller.service_ids, status=Status(status) if status else None, after=after, limit=limit
    )
    steps = await applications.timelines([r.id for r in records])
    applicants = await inst.applicants_of([r.subject_key for r in records])
    items = []
    for record in records:
        record.steps.extend(steps[record.id])
        items.append(inst.case_json(record, applicants[record.subject_key], _case_url(api, record)))
    page = {"items": items, "next_cursor": more.encode() if more else None}
    return Response(msgspec.convert(page, ApplicationsPage, strict=False), headers=NO_STORE)


@get(
    "/applications/{application_id:uuid}",
    summary="One application for your services, with its timeline",
    security=[{"institutionToken": [SCOPE_APPLICATIONS_READ]}],
    responses=problems(MALFORMED_PARAMETER, AUTH, NOT_FOUND),
)
async def get_application(
    request: Request[Any, Any, Any],
    api: NamedDependency[ApiContext],
    application_id: ApplicationId,
) -> Response[ApplicationOut]:
    caller = await _caller(request, api, SCOPE_APPLICATIONS_READ)
    record = await inst.case_of(caller.service_ids, str(application_id))
    body = msgspec.convert(await _json(api, record), ApplicationOut, strict=False)
    return Response(body, headers=NO_STORE)


def _fingerprint(path: str, raw: bytes) -> str:
    return hashlib.sha256(f"POST {path}\n".encode() + raw).hexdigest()


async def _stored(client: uuid.UUID, key: str, sha: str) -> dict[str, Any] | None:
    row = await (
        ApplicationIdempotency.select(
            ApplicationIdempotency.request_sha256, ApplicationIdempotency.response
        )
        .where((ApplicationIdempotency.client == client) & (ApplicationIdempotency.key == key))
        .first()
        .run()
    )
    if row is None:
        return None
    if row["request_sha256"] != sha:
        raise Unprocessable(
            "This Idempotency-Key was used for a different request.",
            code="idempotency_key_reused",
        )
    response = row["response"]
    return json.loads(response) if isinstance(response, str | bytes) else dict(response)


async def _remember_message(client: uuid.UUID, key: str, body: dict[str, Any]) -> None:
    await (
        ApplicationIdempotency.update({ApplicationIdempotency.response: inst.dumps(body)})
        .where((ApplicationIdempotency.client == client) & (ApplicationIdempotency.key == key))
        .run()
    )


async def _send_for(
    caller: Caller,
    api: ApiContext,
    record: ApplicationRecord,
    step_id: uuid.UUID,
    pending: Pending,
) -> inst.Delivery | None:
    catalogue = api.catalogue.snapshot.catalogue
    entry = catalogue.services.get(record.service)
    institution = catalogue.institutions.get(caller.institution)
    text = inst.message_text(
        record,
        pending.target,
        pending.note,
        service_title=entry.title.lv if entry else record.service,
        institution_name=institution.name.lv if institution else caller.institution,
        case_url=_case_url(api, record),
    )
    return await inst.deliver(caller.principal, record, step_id, text, api.eaddress.settings)


def _answer(body: dict[str, Any], *, replayed: bool) -> Response[TransitionOut]:
    headers = dict(NO_STORE)
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(msgspec.convert(body, TransitionOut, strict=False), headers=headers)


@post(
    "/applications/{application_id:uuid}/transitions",
    summary="Move an application: receive, process, ask for information, decide, close",
    description="A decision and a request for information are delivered to the applicant's "
    "e-address as an official message from your institution; `message` names it.",
    security=[{"institutionToken": [SCOPE_APPLICATIONS_WRITE]}],
    responses=problems(MALFORMED_PARAMETER, BODY_TOO_LARGE, AUTH, NOT_FOUND, WRITE),
    response_headers=REPLAYED,
    request_max_body_size=MAX_BODY,
    operation_class=TransitionOperation,
    status_code=200,
)
async def move_application(
    request: Request[Any, Any, Any],
    api: NamedDependency[ApiContext],
    application_id: ApplicationId,
    idempotency_key: IdempotencyKey = None,
) -> Response[TransitionOut]:
    caller = await _caller(request, api, SCOPE_APPLICATIONS_WRITE)
    key = idempotency.check_key(idempotency_key)
    raw = await request.body()
    step = decode_transition(raw)
    client = caller.principal.institution_id
    sha = _fingerprint(request.url.path, raw)
    target = Status(step.to)
    outcome = Outcome(step.outcome) if step.outcome else None
    note = step.note.strip()

    if (earlier := await _stored(client, key, sha)) is not None:
        return await _replay(caller, api, Pending(key, target, note), earlier)
    record = await inst.case_of(caller.service_ids, str(application_id))
    try:
        inst.check_step(record, target, outcome)
        async with transaction(api.engine):
            fresh, step_id = await inst.take_step(record, target, note, outcome)
            body: dict[str, Any] = {"application": {}, "step_id": str(step_id), "message": None}
            await ApplicationIdempotency.insert(
                ApplicationIdempotency(
                    id=uuid.uuid4(), client=client, key=key, request_sha256=sha,
                    status_code=200, response=inst.dumps(body), created_at=utcnow(),
                )
            ).run()  # fmt: skip
    except Exception as exc:
        # A request with this key may have taken the step first (a retry racing the
        # original): answer as it did. Otherwise the step was not possible, or is in progress.
        if (earlier := await _stored(client, key, sha)) is not None:
            return await _replay(caller, api, Pending(key, target, note), earlier)
        if not is_unique_violation(exc):
            raise
        raise Conflict(
            "Another request with this Idempotency-Key is in progress.",
            code="idempotency_key_in_use",
        ) from exc
    done = await _complete(caller, api, Pending(key, target, note), fresh, step_id)
    return _answer(done, replayed=False)


async def _complete(
    caller: Caller,
    api: ApiContext,
    pending: Pending,
    record: ApplicationRecord,
    step_id: uuid.UUID,
) -> dict[str, Any]:
    """Send the step's message (if it has one), and keep the whole answer under the key."""
    delivery = None
    if pending.target in inst.MESSAGED:
        delivery = await _send_for(caller, api, record, step_id, pending)
    loaded = await applications.load(record.id, with_steps=True)
    assert loaded is not None
    body = {
        "application": await _json(api, loaded),
        "step_id": str(step_id),
        "message": (
            {
                "id": str(delivery.message_id),
                "deemed_delivered_on": delivery.deemed_delivered_on.isoformat(),
            }
            if delivery
            else None
        ),
    }
    await _remember_message(caller.principal.institution_id, pending.key, body)
    return body


async def _replay(
    caller: Caller, api: ApiContext, pending: Pending, earlier: dict[str, Any]
) -> Response[TransitionOut]:
    """The first answer again. If the first request stopped between its step and its message
    (a crash), the message is sent now — once: the e-address key is the step's."""
    missing = pending.target in inst.MESSAGED and not earlier["message"]
    if not earlier.get("application") or missing:
        step_id = uuid.UUID(earlier["step_id"])
        app_id = await inst.application_of_step(step_id)
        record = await applications.load(app_id) if app_id else None
        if record is not None:
            earlier = await _complete(caller, api, pending, record, step_id)
    return _answer(earlier, replayed=True)


def handle_api_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    """problem+json as everywhere, with `errors` (JSON paths) and token errors' headers."""
    return problem_response(
        exc.status_code,
        exc.code,
        exc.message,
        errors=getattr(exc, "errors", None),
        headers=getattr(exc, "headers", None),
    )


def build_router(context: ApiContext) -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[list_applications, get_application, move_application],
        dependencies={"api": Provide(lambda: context, sync_to_thread=False)},
        exception_handlers={AppError: handle_api_error},
        tags=["Applications (institutions)"],
    )
