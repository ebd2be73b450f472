"""What Litestar cannot infer about `/api/notify/v1`: the hand-read JSON bodies with their
bounds (from the same constants the checks use) and `Idempotency-Key` as required."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

from backend.eaddress.institution_api.api_docs import _require_idempotency_key
from backend.notifications.institutions import placeholders, templates
from backend.notifications.model import LANGUAGES

_VALUES = Schema(
    type=OpenAPIType.OBJECT,
    description="A value per placeholder: text (a string), date (YYYY-MM-DD), amount (euros, "
    "a number or a string, at most 2 decimals), url (https://…).",
    additional_properties=Schema(
        one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NUMBER)]
    ),
    max_properties=placeholders.MAX_PLACEHOLDERS,
)


def _text(limit: int) -> Schema:
    return Schema(type=OpenAPIType.STRING, min_length=1, max_length=limit)


_TEMPLATE = Schema(
    type=OpenAPIType.OBJECT,
    required=["id", "category", "texts"],
    additional_properties=False,
    properties={
        "id": Schema(
            type=OpenAPIType.STRING,
            pattern=templates.TEMPLATE_ID.pattern,
            description="Your name for it; the same id again makes a new version.",
        ),
        "category": Schema(type=OpenAPIType.STRING, enum=[c.value for c in templates.CATEGORIES]),
        "legal": Schema(
            type=OpenAPIType.BOOLEAN,
            enum=[False],
            description="Always false: legal notices go to the e-address (422 "
            "`legal_not_allowed`).",
        ),
        "texts": Schema(
            type=OpenAPIType.OBJECT,
            required=list(LANGUAGES),
            additional_properties=False,
            properties={
                lang: Schema(
                    type=OpenAPIType.OBJECT,
                    required=["subject", "body"],
                    additional_properties=False,
                    properties={
                        "subject": _text(templates.MAX_SUBJECT),
                        "body": _text(templates.MAX_BODY),
                    },
                )
                for lang in LANGUAGES
            },
            description="Subject and body per language with placeholders `{name:type}` (text, "
            "date, amount, url), the same in every language; `{{` and `}}` are braces.",
        ),
    },
)
_PREVIEW = Schema(
    type=OpenAPIType.OBJECT,
    required=["values"],
    additional_properties=False,
    properties={
        "values": _VALUES,
        "version": Schema(
            type=OpenAPIType.INTEGER, minimum=1, maximum=10**6, description="Default: the latest."
        ),
    },
)
_NOTICE = Schema(
    type=OpenAPIType.OBJECT,
    required=["template_id", "template_version", "recipient", "values"],
    additional_properties=False,
    properties={
        "template_id": Schema(type=OpenAPIType.STRING, pattern=templates.TEMPLATE_ID.pattern),
        "template_version": Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=10**6),
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
                    min_length=1,
                    max_length=300,
                    description="A personal code (e.g. 010190-12345), an eIDAS identifier "
                    "(e.g. EE/LV/38001085718) or a company registration number (11 digits).",
                ),
            },
        ),
        "values": _VALUES,
    },
)


_BULK = Schema(
    type=OpenAPIType.OBJECT,
    required=["template_id", "template_version", "items"],
    additional_properties=False,
    properties={
        "template_id": _NOTICE.properties["template_id"],  # type: ignore[index]
        "template_version": _NOTICE.properties["template_version"],  # type: ignore[index]
        "items": Schema(
            type=OpenAPIType.ARRAY,
            min_items=1,
            max_items=10_000,
            items=Schema(
                type=OpenAPIType.OBJECT,
                required=["recipient", "values"],
                additional_properties=False,
                properties={
                    "recipient": _NOTICE.properties["recipient"],  # type: ignore[index]
                    "values": _VALUES,
                },
            ),
        ),
    },
)


_TOPIC = Schema(
    type=OpenAPIType.OBJECT,
    required=["id", "category", "names"],
    additional_properties=False,
    properties={
        "id": Schema(type=OpenAPIType.STRING, pattern=templates.TEMPLATE_ID.pattern),
        "category": Schema(type=OpenAPIType.STRING, enum=[c.value for c in templates.CATEGORIES]),
        "names": Schema(
            type=OpenAPIType.OBJECT,
            required=list(LANGUAGES),
            additional_properties=False,
            properties={lang: _text(120) for lang in LANGUAGES},
            description="What people see in their settings, per language.",
        ),
    },
)
_TOPIC_NOTICE = Schema(
    type=OpenAPIType.OBJECT,
    required=["template_id", "template_version", "values"],
    additional_properties=False,
    properties={
        "template_id": _NOTICE.properties["template_id"],  # type: ignore[index]
        "template_version": _NOTICE.properties["template_version"],  # type: ignore[index]
        "values": _VALUES,
    },
)


def _body(schema: Schema) -> RequestBody:
    return RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=schema)})


@dataclass
class TemplateOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _body(_TEMPLATE)


@dataclass
class PreviewOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _body(_PREVIEW)


@dataclass
class SendOperation(Operation):
    def __post_init__(self) -> None:
        _require_idempotency_key(self.parameters)
        self.request_body = _body(_NOTICE)


@dataclass
class BulkOperation(Operation):
    def __post_init__(self) -> None:
        _require_idempotency_key(self.parameters)
        self.request_body = _body(_BULK)


@dataclass
class TopicOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _body(_TOPIC)


@dataclass
class TopicNoticeOperation(Operation):
    def __post_init__(self) -> None:
        _require_idempotency_key(self.parameters)
        self.request_body = _body(_TOPIC_NOTICE)
