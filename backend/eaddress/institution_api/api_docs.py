"""OpenAPI documentation of the institution API: request bodies parsed by hand, parameters
checked by hand (their bounds), binary downloads, and every 4xx answer with the codes it may
carry."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    Encoding,
    OAuthFlow,
    OAuthFlows,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from backend.eaddress.institution_api.api_models import OAuthError
from backend.eaddress.institution_api.idempotency import HEADER as IDEMPOTENCY_HEADER
from backend.eaddress.institution_api.idempotency import KEY_PATTERN
from backend.eaddress.institution_api.sending import MAX_SUBJECT_CHARS
from backend.eaddress.institution_api.tokens import (
    SCOPE_APPLICATIONS_READ,
    SCOPE_APPLICATIONS_WRITE,
    SCOPE_CATALOGUE_WRITE,
    SCOPE_NOTIFY_SEND,
    SCOPE_READ,
    SCOPE_SEND,
)
from backend.eaddress.paging import MAX_PAGE
from backend.lib.jsonbody import MAX_DEPTH
from backend.lib.problems import (
    BODY_TOO_LARGE,
    MALFORMED_PARAMETER,
    Failure,
    problems,
)
from backend.settings import EAddressSettings

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
                        SCOPE_CATALOGUE_WRITE: "Draft, preview and publish the institution's "
                        "own services in the catalogue.",
                        SCOPE_APPLICATIONS_READ: "List and read applications for the "
                        "institution's own services.",
                        SCOPE_APPLICATIONS_WRITE: "Receive, process and decide applications for "
                        "the institution's own services (decisions go to the applicant's "
                        "e-address).",
                        SCOPE_NOTIFY_SEND: "Register notification templates and send "
                        "non-legal notices through the notification centre.",
                    },
                )
            ),
        )
    }
)


def security(scope: str) -> list[dict[str, list[str]]]:
    return [{SECURITY_SCHEME: [scope]}]


# (status, code, meaning) for every expected failure of the API.
AUTH: list[Failure] = [
    (401, "invalid_token", "The bearer token is missing, forged, expired or withdrawn."),
    (403, "insufficient_scope", "The token lacks the scope this call needs."),
]
SEND: list[Failure] = [
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
READ: list[Failure] = [
    (400, "invalid_cursor", "The cursor is not one this API gave out."),
    (400, "invalid_limit", f"The limit is outside 1-{MAX_PAGE}."),
    *MALFORMED_PARAMETER,
]
MESSAGE: list[Failure] = [
    (404, "message_not_found", "No such message among yours."),
    *MALFORMED_PARAMETER,
]
ATTACHMENT: list[Failure] = [
    *MESSAGE,
    (404, "attachment_not_found", "No such attachment on this message."),
]

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
    **problems(
        BODY_TOO_LARGE,
        [(429, "rate_limited", "Too many token requests from this address; see Retry-After.")],
    ),
}

_UUID = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID)
_BINARY = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)


def message_schema(limits: EAddressSettings) -> Schema:
    """The message an institution sends, with the bounds the server enforces."""
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["recipient", "subject", "body"],
        additional_properties=False,
        properties={
            "recipient": Schema(
                type=OpenAPIType.OBJECT,
                required=["type", "id"],
                additional_properties=False,
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
            "subject": Schema(
                type=OpenAPIType.STRING,
                min_length=1,
                max_length=MAX_SUBJECT_CHARS,
                description="One line: no line breaks, no NUL.",
            ),
            "body": Schema(
                type=OpenAPIType.STRING,
                min_length=1,
                max_length=limits.max_body_chars,
                description="Plain text, not only white space, no NUL.",
            ),
            "body_html": Schema(
                one_of=[
                    Schema(type=OpenAPIType.STRING, max_length=limits.max_body_chars),
                    Schema(type=OpenAPIType.NULL),
                ],
                description="Optional; sanitised with an allow-list.",
            ),
            "attachment_ids": Schema(
                type=OpenAPIType.ARRAY,
                items=_UUID,
                max_items=limits.max_attachments,
                description="From POST /attachments; together with attached files at most "
                f"{limits.max_attachments}.",
            ),
            "thread_id": Schema(
                one_of=[_UUID, Schema(type=OpenAPIType.NULL)],
                description="A thread between you and this recipient (a reply's `thread_id`).",
            ),
        },
    )


def _require_idempotency_key(parameters: list[Parameter | Reference] | None) -> None:
    """The handler reads the header as optional so that its absence is answered with our own
    code (`idempotency_key_missing`); the document says what the server demands."""
    for parameter in parameters or []:
        if isinstance(parameter, Parameter) and parameter.name == IDEMPOTENCY_HEADER:
            parameter.required = True
            parameter.schema = Schema(
                type=OpenAPIType.STRING,
                pattern=KEY_PATTERN,
                description="1-255 visible ASCII characters, e.g. a UUID.",
            )


def send_operation(limits: EAddressSettings) -> type[Operation]:
    """The documentation of `POST /messages` under these limits."""
    message = message_schema(limits)

    @dataclass
    class SendMessageOperation(Operation):
        def __post_init__(self) -> None:
            _require_idempotency_key(self.parameters)
            self.request_body = RequestBody(
                required=True,
                description="JSON, or multipart/form-data with the JSON in a `message` part and "
                f"files in `attachment` parts (at most {limits.max_attachments}, each at most "
                f"{limits.max_attachment_bytes} bytes, {limits.max_message_bytes} bytes in all; "
                f"typed by content: {', '.join(limits.allowed_types)}).",
                content={
                    "application/json": OpenAPIMediaType(schema=message),
                    "multipart/form-data": OpenAPIMediaType(
                        schema=Schema(
                            type=OpenAPIType.OBJECT,
                            required=["message"],
                            properties={
                                "message": message,
                                "attachment": Schema(
                                    type=OpenAPIType.ARRAY,
                                    items=_BINARY,
                                    max_items=limits.max_attachments,
                                ),
                            },
                        ),
                        encoding={"message": Encoding(content_type="application/json")},
                    ),
                },
            )

    return SendMessageOperation


def download_operation(limits: EAddressSettings) -> type[Operation]:
    """The documentation of an attachment download: the file as it was typed on upload."""
    file = OpenAPIMediaType(schema=_BINARY)
    headers: dict[str, OpenAPIHeader | Reference] = {
        "Content-Disposition": OpenAPIHeader(
            schema=Schema(type=OpenAPIType.STRING),
            required=True,
            description="`attachment` with the file name (RFC 6266, `filename*` in UTF-8).",
        ),
        "Repr-Digest": OpenAPIHeader(
            schema=Schema(type=OpenAPIType.STRING),
            required=True,
            description="`sha-256=:<base64>:` of the file (RFC 9530), as in the proof.",
        ),
    }

    @dataclass
    class DownloadOperation(Operation):
        def __post_init__(self) -> None:
            if self.responses is not None:
                self.responses["200"] = OpenAPIResponse(
                    description="The file, with the media type its content was recognised as.",
                    content=dict.fromkeys(limits.allowed_types, file),
                    headers=headers,
                )

    return DownloadOperation


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
