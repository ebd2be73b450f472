"""`application/problem+json`: the body every API error answers (`problem_response`, sent by
`backend/web/errors.py` and by the e-address API's own handler) and its OpenAPI documentation,
so that what is sent and what is documented are one definition.

A route documents its expected failures as `(status, code, meaning)` triples; `problems()`
turns them into one response per status whose description lists the codes. Failures the
framework answers before a handler runs (a malformed parameter, a body over the route's limit)
have triples here, for the routes where they can happen.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import msgspec
from litestar import Response
from litestar.openapi.datastructures import ResponseSpec

PROBLEM_JSON = "application/problem+json"

Failure = tuple[int, str, str]
"""(HTTP status, `code`, what it means) of one expected failure."""

MALFORMED_PARAMETER: list[Failure] = [
    (400, "bad_request", "A path, query or header parameter is malformed; `errors` says which."),
]
BODY_TOO_LARGE: list[Failure] = [
    (413, "request_entity_too_large", "The request body exceeds this route's limit."),
]


class Problem(msgspec.Struct, omit_defaults=True):
    """`application/problem+json`: branch on `code`, show `detail`."""

    status: int
    code: str
    detail: str
    errors: list[Any] | dict[str, Any] | None = None
    """What the framework's own validation found (which parameter, why); only on `bad_request`."""


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    errors: Any = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    """The problem+json answer for one failure; never stored by a cache."""
    return Response(
        Problem(status, code, detail, errors=errors or None),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def problems(*groups: list[Failure]) -> dict[int, ResponseSpec]:
    """OpenAPI responses for the failures of `groups`: one per status, listing its codes."""
    by_status: dict[int, list[str]] = defaultdict(list)
    for group in groups:
        for status, code, meaning in group:
            line = f"- `{code}`: {meaning}"
            if line not in by_status[status]:
                by_status[status].append(line)
    return {
        status: ResponseSpec(
            data_container=Problem,
            description="application/problem+json; `code` is one of:\n" + "\n".join(lines),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status, lines in sorted(by_status.items())
    }
