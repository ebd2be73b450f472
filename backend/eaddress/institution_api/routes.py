"""HTTP surface of the e-address for institutions: `/api/eaddress/v1`, `POST /oauth/token` and
the published proof key set. Handlers parse, authorise and call the service; nothing else."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, QueryParameter
from litestar.response import Stream

from backend.eaddress.institution_api import api_docs as docs
from backend.eaddress.institution_api import idempotency
from backend.eaddress.institution_api.api_models import (
    AttachmentOut,
    JsonWebKeySet,
    MessageAccepted,
    MessageStatus,
    ProofOut,
    RepliesPage,
    convert,
)
from backend.eaddress.institution_api.institution_view import (
    download_for_institution,
    list_replies,
    message_status,
    proof_for_institution,
)
from backend.eaddress.institution_api.institutions import require_enabled
from backend.eaddress.institution_api.request_body import read_message_request, read_single_upload
from backend.eaddress.institution_api.sending import send_message
from backend.eaddress.institution_api.token_route import token_endpoint
from backend.eaddress.institution_api.tokens import (
    SCOPE_READ,
    SCOPE_SEND,
    InstitutionPrincipal,
    InvalidToken,
)
from backend.eaddress.paging import DEFAULT_PAGE, MAX_PAGE
from backend.eaddress.storage.proof import JWKS_MEDIA_TYPE, JWKS_PATH
from backend.eaddress.tables import Attachment
from backend.lib.errors import AppError
from backend.lib.problems import problem_response, problems
from backend.lib.time import utcnow
from backend.settings import Settings

if TYPE_CHECKING:
    from backend.services import Services

API_PREFIX = "/api/eaddress/v1"
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER,
        # Read as optional so that a missing key is answered with our own code; the OpenAPI
        # says it is required (api_docs.send_operation).
        required=False,
        description="A unique value per message (e.g. a UUID); a retry with the same key and "
        "body gets the first answer again, with another body 422.",
    ),
]
PageLimit = Annotated[
    int,
    QueryParameter(
        description=f"Replies per page, 1-{MAX_PAGE} (default {DEFAULT_PAGE}).",
        # Documented bounds only: paging.page_size enforces them with its own error code.
        schema_extra={"minimum": 1, "maximum": MAX_PAGE},
    ),
]
NO_STORE = {"Cache-Control": "no-store"}
SENT_HEADERS = [
    ResponseHeader(
        name="Location",
        value=f"{API_PREFIX}/messages/{{id}}",  # documents the type; never sent as is
        description="The message's status URL.",
        required=True,
        documentation_only=True,
    ),
    ResponseHeader(
        name="Idempotent-Replayed",
        value="true",
        description="`true` when this is the stored answer to an earlier request with this key.",
        documentation_only=True,
    ),
]


def token_principal(request: Request[Any, Any, Any], services: Services) -> InstitutionPrincipal:
    """The principal a valid bearer token names. Whether the institution is still enabled is
    NOT checked here: the send path checks it in its one lookup query, saving a round trip."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer " or not header[7:].strip():
        raise InvalidToken("An access token is needed: Authorization: Bearer <token>.")
    ctx = services.eaddress
    return ctx.tokens.verify(ctx.keys.token_key, header[7:].strip(), issuer=ctx.public_url)


async def provide_principal(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> InstitutionPrincipal:
    """Dependency: a valid token of an institution that is still enabled."""
    principal = token_principal(request, services)
    await require_enabled(principal.institution_id)
    return principal


def handle_api_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    """Like the app's handler (an API path: always problem+json), plus the WWW-Authenticate
    header of token errors."""
    headers = getattr(exc, "headers", None)
    return problem_response(exc.status_code, exc.code, exc.message, headers=headers)


def build_routes(settings: Settings) -> list[Any]:
    """The e-address route handlers; body limits come from the settings."""
    limits = settings.eaddress
    limit = limits.max_message_bytes + 1024 * 1024  # multipart framing and text

    @post(
        "/messages",
        summary="Send a message to a person's or company's e-address",
        operation_class=docs.send_operation(limits),
        security=docs.security(SCOPE_SEND),
        responses=problems(docs.AUTH, docs.SEND),
        response_headers=SENT_HEADERS,
        request_max_body_size=limit,
        status_code=201,
    )
    async def send(
        request: Request[Any, Any, Any],
        services: NamedDependency[Services],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[MessageAccepted]:
        """Answers the message id and the date it counts as delivered (2nd working day)."""
        # The hottest route: the token is checked here, without a dependency layer, and
        # send_message checks the institution is still enabled in its lookup query.
        principal = token_principal(request, services)
        principal.require(SCOPE_SEND)
        key = idempotency.check_key(idempotency_key)
        ctx = services.eaddress
        parsed = await read_message_request(request, ctx.blobs, limits)
        result = await send_message(principal, parsed, key, limits, now=ctx.clock())
        headers = {**NO_STORE, "Location": f"{API_PREFIX}/messages/{result.body['id']}"}
        if result.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(
            convert(result.body, MessageAccepted), status_code=result.status_code, headers=headers
        )

    @post(
        "/attachments",
        summary="Upload an attachment to reference from a later message",
        operation_class=docs.UploadOperation,
        security=docs.security(SCOPE_SEND),
        responses=problems(docs.AUTH, docs.UPLOAD),
        request_max_body_size=settings.eaddress.max_attachment_bytes + 64 * 1024,
        status_code=201,
    )
    async def upload(
        request: Request[Any, Any, Any],
        services: NamedDependency[Services],
        principal: NamedDependency[InstitutionPrincipal],
    ) -> Response[AttachmentOut]:
        principal.require(SCOPE_SEND)
        staged = await read_single_upload(request, services.eaddress.blobs, limits)
        attachment_id = uuid.uuid4()
        await Attachment.insert(
            Attachment(
                id=attachment_id,
                owner_key=principal.owner_key,
                sha256=staged.sha256,
                size=staged.size,
                content_type=staged.content_type,
                filename=staged.filename,
                created_at=utcnow(),
            )
        ).run()
        body = AttachmentOut(
            attachment_id, staged.filename, staged.content_type, staged.size, staged.sha256
        )
        return Response(body, status_code=201, headers=NO_STORE)

    @get(
        "/messages/{message_id:uuid}",
        summary="Status of a message you sent: sent, available, notified, opened",
        security=docs.security(SCOPE_READ),
        responses=problems(docs.AUTH, docs.MESSAGE),
    )
    async def status(
        message_id: FromPath[uuid.UUID], principal: NamedDependency[InstitutionPrincipal]
    ) -> Response[MessageStatus]:
        principal.require(SCOPE_READ)
        data = await message_status(principal.institution_id, message_id)
        return Response(convert(data, MessageStatus), headers=NO_STORE)

    @get(
        "/messages/{message_id:uuid}/proof",
        summary="The receipt chain as a signed document (JWS)",
        security=docs.security(SCOPE_READ),
        responses=problems(docs.AUTH, docs.MESSAGE),
    )
    async def proof(
        message_id: FromPath[uuid.UUID],
        services: NamedDependency[Services],
        principal: NamedDependency[InstitutionPrincipal],
    ) -> Response[ProofOut]:
        principal.require(SCOPE_READ)
        ctx = services.eaddress
        signed = await proof_for_institution(
            principal.institution_id, message_id, key=ctx.keys.receipts_key, issuer=ctx.public_url
        )
        return Response(ProofOut(signed, ctx.public_url + JWKS_PATH), headers=NO_STORE)

    @get(
        "/messages/{message_id:uuid}/attachments/{attachment_id:uuid}",
        summary="Download an attachment of your message or of a reply to you",
        operation_class=docs.download_operation(limits),
        security=docs.security(SCOPE_READ),
        responses=problems(docs.AUTH, docs.ATTACHMENT),
    )
    async def attachment(
        message_id: FromPath[uuid.UUID],
        attachment_id: FromPath[uuid.UUID],
        services: NamedDependency[Services],
        principal: NamedDependency[InstitutionPrincipal],
    ) -> Stream:
        principal.require(SCOPE_READ)
        download = await download_for_institution(
            principal.institution_id, message_id, attachment_id, services.eaddress.blobs
        )
        return Stream(download.body, media_type=download.content_type, headers=download.headers)

    @get(
        "/replies",
        summary="Replies from recipients, oldest first (keyset-paginated)",
        security=docs.security(SCOPE_READ),
        responses=problems(docs.AUTH, docs.READ),
    )
    async def replies(
        principal: NamedDependency[InstitutionPrincipal],
        after: Annotated[
            str | None, QueryParameter(description="`next_cursor` of the previous page.")
        ] = None,
        limit: PageLimit = DEFAULT_PAGE,
    ) -> Response[RepliesPage]:
        principal.require(SCOPE_READ)
        page = await list_replies(principal.institution_id, after=after, limit=limit)
        data = {"items": [i.as_json() for i in page.items], "next_cursor": page.next_cursor}
        return Response(convert(data, RepliesPage), headers=NO_STORE)

    api = Router(
        path=API_PREFIX,
        route_handlers=[send, upload, status, proof, attachment, replies],
        dependencies={"principal": Provide(provide_principal)},
        exception_handlers={AppError: handle_api_error},
        tags=["E-address institution API"],
    )

    @get(
        JWKS_PATH,
        summary="Public keys that verify e-address proof documents",
        tags=["E-address"],
        media_type=JWKS_MEDIA_TYPE,
    )
    async def receipts_jwks(services: NamedDependency[Services]) -> Response[JsonWebKeySet]:
        return Response(
            convert(services.eaddress.keys.receipts_jwks(), JsonWebKeySet),
            headers={"Cache-Control": "public, max-age=3600"},
        )

    return [api, token_endpoint(), receipts_jwks]
