"""OpenAPI documentation of the institution API: request bodies parsed by hand, and every
4xx answer with the codes it may carry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    OAuthFlow,
    OAuthFlows,
    OpenAPIMediaType,
    Operation,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from backend.eaddress.api_models import OAuthError, Problem
from backend.eaddress.tokens import SCOPE_READ, SCOPE_SEND
from backend.lib.jsonbody import MAX_DEPTH

SECURITY_SCHEME = "institutionToken"

COMPONENTS = Components(
    security_schemes={
        SECURITY_SCHEME: SecurityScheme(
            type="oauth2",
            description="Client credentials of a registered institution "
            "(`vienuviet institution add`). Tokens live 10 minutes by default.",
            flows=OAuthFlows(
                client_credentials=OAuthFlow(
                    token_url="/oauth/token",  # noqa: S106 - a URL, not a password
                    scopes={
                        SCOPE_SEND: "Send messages and upload attachments.",
                        SCOPE_READ: "Read the status of sent messages and the replies.",
                    },
                )
            ),
        )
    }
)


def security(scope: str) -> list[dict[str, list[str]]]:
    return [{SECURITY_SCHEME: [scope]}]


# (status, code, meaning) for every expected failure of the API.
AUTH = [
    (401, "invalid_token", "The bearer token is missing, forged, expired or withdrawn."),
    (403, "insufficient_scope", "The token lacks the scope this call needs."),
]
SEND = [
    (400, "invalid_utf8", "The body (or a text part) is not valid UTF-8."),
    (400, "invalid_json", "The message is not valid JSON."),
    (400, "json_too_deep", f"The message nests arrays and objects over {MAX_DEPTH} levels deep."),
    (400, "invalid_multipart", "The multipart body is malformed or has unexpected parts."),
    (400, "idempotency_key_missing", "No Idempotency-Key header."),
    (400, "idempotency_key_invalid", "The Idempotency-Key is not 1-255 visible ASCII chars."),
    (413, "attachment_too_large", "One attachment exceeds the per-file limit."),
    (413, "message_too_large", "Attachments and text together exceed the per-message limit."),
    (413, "request_entity_too_large", "The request body exceeds the absolute limit."),
    (415, "unsupported_attachment_type", "An attachment's content is not an accepted type."),
    (415, "unsupported_media_type", "Send application/json or multipart/form-data."),
    (422, "invalid_message", "A field is missing, of the wrong type, empty or too long."),
    (422, "invalid_recipient", "The recipient identifier is malformed (format, check digit)."),
    (422, "unknown_recipient", "No company with this registration number."),
    (422, "no_active_eaddress", "The person has no active e-address: send on paper instead."),
    (422, "too_many_attachments", "More attachments than allowed on one message."),
    (422, "unknown_attachment", "An attachment id is unknown, another's, or listed twice."),
    (422, "unknown_thread", "The thread does not exist between you and this recipient."),
    (422, "idempotency_key_reused", "This Idempotency-Key was used with a different body."),
]
UPLOAD = [e for e in SEND if e[1].startswith(("invalid_utf8", "invalid_multipart"))] + [
    e for e in SEND if e[0] in (413, 415)
]
READ = [
    (400, "invalid_cursor", "The cursor is not one this API gave out."),
    (400, "invalid_limit", "The limit is outside 1-100."),
]
MESSAGE = [(404, "message_not_found", "No such message among yours.")]
ATTACHMENT = [*MESSAGE, (404, "attachment_not_found", "No such attachment on this message.")]


def problems(*groups: list[tuple[int, str, str]]) -> dict[int, ResponseSpec]:
    by_status: dict[int, list[str]] = defaultdict(list)
    for group in groups:
        for status, code, meaning in group:
            by_status[status].append(f"- `{code}`: {meaning}")
    return {
        status: ResponseSpec(
            data_container=Problem,
            description="application/problem+json; `code` is one of:\n" + "\n".join(lines),
            media_type="application/problem+json",
            generate_examples=False,
        )
        for status, lines in sorted(by_status.items())
    }


TOKEN_ERRORS = {
    400: ResponseSpec(
        data_container=OAuthError,
        description="RFC 6749 error: `invalid_request`, `unsupported_grant_type`, "
        "or `invalid_scope` (not allowed for this client).",
        generate_examples=False,
    ),
    401: ResponseSpec(
        data_container=OAuthError,
        description="`invalid_client`: unknown client, wrong secret or disabled institution.",
        generate_examples=False,
    ),
    429: ResponseSpec(
        data_container=Problem,
        description="`rate_limited`: too many token requests; see Retry-After.",
        media_type="application/problem+json",
        generate_examples=False,
    ),
}

_UUID = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID)
MESSAGE_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["recipient", "subject", "body"],
    properties={
        "recipient": Schema(
            type=OpenAPIType.OBJECT,
            required=["type", "id"],
            properties={
                "type": Schema(
                    type=OpenAPIType.STRING, enum=["personal_code", "eidas_id", "company"]
                ),
                "id": Schema(
                    type=OpenAPIType.STRING,
                    description="`DDMMYY-CNNNN` / `32NNNN-NNNNN`, `XX/LV/…`, or 11 digits.",
                ),
            },
        ),
        "subject": Schema(type=OpenAPIType.STRING, max_length=300),
        "body": Schema(type=OpenAPIType.STRING, description="Plain text."),
        "body_html": Schema(
            type=OpenAPIType.STRING, description="Optional; sanitised with an allow-list."
        ),
        "attachment_ids": Schema(
            type=OpenAPIType.ARRAY, items=_UUID, description="From POST /attachments."
        ),
        "thread_id": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID),
    },
)
_BINARY = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)


@dataclass
class SendMessageOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="JSON, or multipart/form-data with the JSON in a `message` part and "
            "files in `attachment` parts (typed by content: PDF, PNG, JPEG, ASiC-E/eDoc, text).",
            content={
                "application/json": OpenAPIMediaType(schema=MESSAGE_SCHEMA),
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["message"],
                        properties={
                            "message": MESSAGE_SCHEMA,
                            "attachment": Schema(type=OpenAPIType.ARRAY, items=_BINARY),
                        },
                    )
                ),
            },
        )


@dataclass
class UploadOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["attachment"],
                        properties={"attachment": _BINARY},
                    )
                )
            },
        )


@dataclass
class TokenOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "application/x-www-form-urlencoded": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["grant_type"],
                        properties={
                            "grant_type": Schema(
                                type=OpenAPIType.STRING, enum=["client_credentials"]
                            ),
                            "scope": Schema(
                                type=OpenAPIType.STRING,
                                description="Space-separated; default: all of the client's.",
                            ),
                            "client_id": Schema(
                                type=OpenAPIType.STRING, description="client_secret_post only"
                            ),
                            "client_secret": Schema(
                                type=OpenAPIType.STRING, description="client_secret_post only"
                            ),
                        },
                    )
                )
            },
        )
