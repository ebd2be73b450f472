"""The institutions' publishing API: drafts of their own services, preview, publish, history.

Handlers parse, authorise and call `backend.catalogue.publishing` and `store`; the rules (who
may change what, validation, idempotency) live there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, Operation, Reference, RequestBody
from litestar.params import HeaderParameter, PathParameter

from backend.catalogue import store
from backend.catalogue.api.models import DraftOut, History, VersionOut
from backend.catalogue.api.public import EntryId
from backend.catalogue.preview import preview_url
from backend.catalogue.publishers import institution_of
from backend.catalogue.publishing import (
    KIND,
    Answer,
    check_owner,
    check_references,
    decode_service,
    fingerprint,
    once,
)
from backend.eaddress.institution_api import idempotency
from backend.eaddress.institution_api.api_docs import _require_idempotency_key
from backend.eaddress.institution_api.institutions import require_enabled
from backend.eaddress.institution_api.routes import token_principal
from backend.eaddress.institution_api.tokens import SCOPE_CATALOGUE_WRITE, InstitutionPrincipal
from backend.lib.errors import Forbidden, NotFound
from backend.lib.jsonbody import decode_json
from backend.lib.problems import BODY_TOO_LARGE, MALFORMED_PARAMETER, problems
from backend.lib.time import utcnow

if TYPE_CHECKING:
    from backend.services import Services

MAX_BODY = 256 * 1024
NO_STORE = {"Cache-Control": "no-store"}
SECURITY = [{"institutionToken": [SCOPE_CATALOGUE_WRITE]}]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER,
        required=False,
        description="A unique value per change (e.g. a UUID), required: a retry with the same "
        "key and body gets the first answer again; the same key with another body is 422.",
    ),
]
Version = Annotated[int, PathParameter(ge=1, le=1_000_000)]
AUTH = [
    (401, "invalid_token", "No valid access token."),
    (403, "insufficient_scope", "The token lacks `catalogue:write`."),
    (403, "not_a_publisher", "The client is not linked to a catalogue institution."),
    (403, "not_your_service", "The service is another institution's."),
]
WRITE = [
    (400, "idempotency_key_missing", "No Idempotency-Key header."),
    (400, "idempotency_key_invalid", "The Idempotency-Key is not 1-255 visible ASCII."),
    (400, "invalid_json", "The body is not JSON."),
    (409, "idempotency_key_in_use", "A request with this key is still running."),
    (409, "version_conflict", "Another version was saved at the same moment."),
    (422, "invalid_entry", "The service breaks the content model; `errors` has JSON paths."),
    (422, "idempotency_key_reused", "The key came with another body before."),
]
VERSION_ERRORS = [(404, "version_not_found", "No such version of this service.")]
PUBLISH_ERRORS = [
    (409, "already_published", "The version is published already."),
    (409, "newer_published", "A newer version is published."),
]
REPLAYED = [
    ResponseHeader(
        name="Idempotent-Replayed",
        description="`true` when this is the stored answer to an earlier request.",
        documentation_only=True,
    )
]


@dataclass
class PublishOperation(Operation):
    def __post_init__(self) -> None:
        _require_idempotency_key(self.parameters)


@dataclass
class DraftOperation(Operation):
    def __post_init__(self) -> None:
        _require_idempotency_key(self.parameters)
        self.request_body = RequestBody(
            required=True,
            description="A whole service, as GET /services/{id} answers it; `id` must be the "
            "one in the URL and `institution` your own.",
            content={
                "application/json": OpenAPIMediaType(
                    schema=Reference(ref="#/components/schemas/Service")
                )
            },
        )


async def _publisher(
    request: Request[Any, Any, Any], services: Services
) -> tuple[InstitutionPrincipal, str]:
    principal = token_principal(request, services)
    principal.require(SCOPE_CATALOGUE_WRITE)
    await require_enabled(principal.institution_id)
    institution = await institution_of(principal.institution_id)
    if institution is None:
        raise Forbidden(
            "This client is not linked to a catalogue institution (vienuviet catalogue link).",
            code="not_a_publisher",
        )
    return principal, institution


def _draft_json(version: store.Version, services: Services) -> dict[str, Any]:
    web = services.settings.web
    data = version.as_json(with_content=True)
    data["preview_url"] = preview_url(web.public_url, web.secret_key, version.entry_id,
                                      version.version)  # fmt: skip
    return data


def _respond(answer: Answer) -> Response[DraftOut]:
    headers = dict(NO_STORE)
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    body = msgspec.convert(answer.body, DraftOut, strict=False)
    return Response(body, status_code=answer.status_code, headers=headers)


@post(
    "/services/{service_id:str}/drafts",
    summary="Save a new draft version of one of your services (new or existing)",
    description="The body is a whole service (the same JSON as GET /services/{id}). Nothing is "
    "public until the version is published; `preview_url` shows it as the portal will.",
    security=SECURITY,
    responses=problems(MALFORMED_PARAMETER, BODY_TOO_LARGE, AUTH, WRITE),
    response_headers=REPLAYED,
    request_max_body_size=MAX_BODY,
    operation_class=DraftOperation,
    status_code=201,
)
async def save_draft(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    service_id: EntryId,
    idempotency_key: IdempotencyKey = None,
) -> Response[DraftOut]:
    # The body is read here, not as a `data` parameter: a bad field is then answered with our
    # 422 and its JSON path (Litestar's own check would answer 400 first).
    principal, institution = await _publisher(request, services)
    key = idempotency.check_key(idempotency_key)
    raw = await request.body()
    service = decode_service(decode_json(raw))
    await check_owner(institution, service_id, service.institution)
    await services.catalogue.ensure_current()
    check_references(service, service_id, services.catalogue.snapshot.catalogue)
    now = utcnow()
    client = principal.institution_id
    author = f"client:{principal.client_id}"

    async def work() -> Answer:
        saved = await store.add_draft(KIND, service, author, now=now)
        return Answer(201, _draft_json(saved, services))

    sha = fingerprint("POST", request.url.path, raw)
    return _respond(await once(services.engine, client, key, sha, work, now=now))


@get(
    "/services/{service_id:str}/versions/{version:int}",
    summary="One version of your service, draft or published (preview as JSON)",
    security=SECURITY,
    responses=problems(MALFORMED_PARAMETER, AUTH, VERSION_ERRORS),
)
async def preview_version(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    service_id: EntryId,
    version: Version,
) -> Response[DraftOut]:
    _, institution = await _publisher(request, services)
    await check_owner(institution, service_id)
    found = await store.version_of(KIND, service_id, version)
    if found is None:
        raise NotFound("There is no such version of this service.", code="version_not_found")
    return _respond(Answer(200, _draft_json(found, services)))


@post(
    "/services/{service_id:str}/versions/{version:int}/publish",
    summary="Publish a draft version of your service",
    security=SECURITY,
    responses=problems(MALFORMED_PARAMETER, AUTH, WRITE, VERSION_ERRORS, PUBLISH_ERRORS),
    response_headers=REPLAYED,
    request_max_body_size=1024,
    operation_class=PublishOperation,
    status_code=200,
)
async def publish_version(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    service_id: EntryId,
    version: Version,
    idempotency_key: IdempotencyKey = None,
) -> Response[DraftOut]:
    principal, institution = await _publisher(request, services)
    key = idempotency.check_key(idempotency_key)
    await check_owner(institution, service_id)
    now = utcnow()

    async def work() -> Answer:
        done = await store.publish(KIND, service_id, version, now=now)
        return Answer(200, _draft_json(done, services))

    sha = fingerprint("POST", request.url.path, b"")
    answer = await once(services.engine, principal.institution_id, key, sha, work, now=now)
    services.catalogue.invalidate()  # this process shows it on its next request
    return _respond(answer)


@get(
    "/services/{service_id:str}/history",
    summary="The change history of a service: every published version (open to anyone)",
    responses=problems(MALFORMED_PARAMETER, [(404, "service_not_found", "No such service.")]),
)
async def public_history(service_id: EntryId) -> Response[History]:
    versions = [v for v in await store.history(KIND, service_id) if v.status == "published"]
    if not versions:
        raise NotFound("No published service has this id.", code="service_not_found")
    return Response(_history(service_id, versions), headers={"Cache-Control": "no-cache"})


@get(
    "/services/{service_id:str}/versions",
    summary="Every version of your service, drafts included, newest first",
    security=SECURITY,
    responses=problems(MALFORMED_PARAMETER, AUTH),
)
async def all_versions(
    request: Request[Any, Any, Any], services: NamedDependency[Services], service_id: EntryId
) -> Response[History]:
    _, institution = await _publisher(request, services)
    await check_owner(institution, service_id)
    versions = await store.history(KIND, service_id)
    return Response(_history(service_id, versions), headers=NO_STORE)


def _history(service_id: str, versions: list[store.Version]) -> History:
    return History(
        service_id,
        [
            VersionOut(v.entry_id, v.version, v.status, v.author, v.created_at, v.published_at)
            for v in versions
        ],
    )


ROUTES = [save_draft, preview_version, publish_version, public_history, all_versions]
