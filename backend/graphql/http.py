"""POST /graphql: JSON only, one operation per request, same-origin browsers only.

We run the schema ourselves rather than through Strawberry's Litestar controller so that the
rules are explicit and identical to how pages execute it in-process: no GET queries (a query
in a URL ends up in logs and caches), no batching (one request, one operation, one set of
limits), no multipart, and request errors answered with 4xx as the GraphQL-over-HTTP
specification asks for `application/graphql-response+json`. A dashboard asked again by the
same session may be answered from the answer kept the first time (`backend/graphql/answers/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.serialization import encode_json
from litestar.status_codes import HTTP_200_OK, HTTP_400_BAD_REQUEST
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.auth.viewer import load_viewer
from backend.graphql.answers.cache import AnswerCache
from backend.graphql.context import Context
from backend.graphql.errors import EXECUTED, REQUEST_ERROR, public_error
from backend.lib.errors import AppError
from backend.lib.i18n import current_language
from backend.lib.jsonbody import InvalidJSON, JSONTooDeep, decode_json

if TYPE_CHECKING:
    from backend.services import Services


class GraphQLRequestError(AppError):
    """The HTTP request does not carry a well-formed GraphQL operation."""

    code = "BAD_REQUEST"


KEPT_TIMING = b'answer;desc="kept"'


@dataclass(frozen=True, slots=True)
class JSONAnswer:
    """A finished JSON answer as a bare ASGI app: what this endpoint sends is always encoded
    bytes, and Litestar's Response objects cost more than a kept dashboard answer's lookup."""

    body: bytes
    status: int = HTTP_200_OK
    kept: bool = False
    """A kept answer: says so in Server-Timing, for whoever measures the API (no data in it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        if self.kept:
            headers.append((b"server-timing", KEPT_TIMING))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


def _error_response(status: int, code: str, message: str) -> JSONAnswer:
    return JSONAnswer(
        encode_json({"errors": [{"message": message, "extensions": {"code": code}}]}), status
    )


def parse_operation(body: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    """Validate the JSON envelope; raise GraphQLRequestError with a clear message otherwise."""
    try:
        payload = decode_json(body)
    except JSONTooDeep as exc:
        raise GraphQLRequestError(exc.message) from None
    except InvalidJSON:
        raise GraphQLRequestError("The request body is not valid JSON.") from None
    if isinstance(payload, list):
        raise GraphQLRequestError("Batched operations are not supported: send one at a time.")
    if not isinstance(payload, dict):
        raise GraphQLRequestError("The request body must be a JSON object.")
    query = payload.get("query")
    if not isinstance(query, str) or not query.strip():
        raise GraphQLRequestError('"query" must be a non-empty string.')
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise GraphQLRequestError('"variables" must be a JSON object.')
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise GraphQLRequestError('"operationName" must be a string.')
    return query, variables, operation_name


def _is_json(request: Request[Any, Any, Any]) -> bool:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json"


def _cross_site(request: Request[Any, Any, Any], services: Services) -> bool:
    """A browser request from another origin (CSRF defence on top of the JSON-only rule)."""
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != services.settings.web.origin
    return request.headers.get("sec-fetch-site") == "cross-site"


async def execute(
    services: Services,
    context: Context,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Run one operation; return (HTTP status, response body). Used by HTTP and by pages."""
    result = await services.schema.execute(
        query,
        variable_values=variables,
        context_value=context,
        operation_name=operation_name,
    )
    body: dict[str, Any] = {}
    if result.errors:
        # Every error leaves in its public form, whichever phase raised it (see errors.py).
        body["errors"] = [public_error(error).formatted for error in result.errors]
    if context.per_request.get(EXECUTED):
        body["data"] = result.data
        return HTTP_200_OK, body
    # Execution never started: the document could not be parsed or validated.
    for error in body.get("errors", []):
        error.setdefault("extensions", {}).setdefault("code", REQUEST_ERROR)
    return HTTP_400_BAD_REQUEST, body


def graphql_route(max_body_bytes: int, answers: AnswerCache) -> Any:
    @post(
        "/graphql",
        request_max_body_size=max_body_bytes,
        include_in_schema=False,
        status_code=HTTP_200_OK,
    )
    async def graphql_endpoint(
        request: Request[Any, Any, Any], services: NamedDependency[Services]
    ) -> ASGIApp:
        if not _is_json(request):
            return _error_response(
                415, "UNSUPPORTED_MEDIA_TYPE", "Send GraphQL as an application/json POST."
            )
        if _cross_site(request, services):
            return _error_response(403, "CROSS_SITE", "Cross-site GraphQL requests are refused.")
        body = await request.body()
        # The warm dashboard: an answer kept for this session, document and language, still
        # exactly what executing would give (backend/graphql/answers/cache.py says why).
        language = current_language.get()
        session_id = request.cookies.get(services.auth.cookies.session)
        kept = await answers.lookup(session_id, body, language)
        if kept is not None:
            return JSONAnswer(kept, kept=True)
        try:
            query, variables, operation_name = parse_operation(body)
        except GraphQLRequestError as exc:
            return _error_response(400, exc.code, exc.message)
        viewer = await load_viewer(request, services)
        context = Context(services=services, viewer=viewer, request=request)
        candidate = await answers.candidate(viewer, body, language, query, operation_name)
        status, answer = await execute(services, context, query, variables, operation_name)
        encoded = encode_json(answer)
        if candidate is not None and status == HTTP_200_OK:
            answers.keep(candidate, context.per_request, answer, encoded)
        return JSONAnswer(encoded, status)

    return graphql_endpoint
