"""How errors leave the GraphQL layer: stable codes for expected failures, nothing else leaks.

Expected failures (`AppError`) keep their message and gain `extensions.code` (a refused
step-up also `extensions.requiredLevel`). Query problems
found while parsing or validating are about the client's document, not our data, so they are
kept (field suggestions are switched off in the schema config). Anything else is an unexpected
exception: it is logged with its type and place only — never its message, which may contain
SQL or personal data — and replaced by a generic message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.auth.assurance import StepUpNeeded
from backend.lib.errors import AppError

log = logging.getLogger("vienuviet.graphql")

INTERNAL = "INTERNAL_SERVER_ERROR"
REQUEST_ERROR = "GRAPHQL_VALIDATION_FAILED"


def public_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, AppError):
        extensions: dict[str, Any] = {"code": original.code}
        if isinstance(original, StepUpNeeded):  # what to log in with, as StepUpRequired says
            extensions["requiredLevel"] = original.level.name
        return GraphQLError(
            original.message,
            nodes=error.nodes,
            path=error.path,
            extensions=extensions,
        )
    if original is None or isinstance(original, GraphQLError):
        # A GraphQLError as the cause is graphql-core's own verdict on the client's input
        # (e.g. an enum variable with a value the enum lacks): a request error, not ours.
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": (error.extensions or {}).get("code", REQUEST_ERROR)},
        )
    tb = original.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
    log.error("unexpected %s in resolver %s at %s", type(original).__name__, error.path, where)
    return GraphQLError(
        "Unexpected error.", nodes=error.nodes, path=error.path, extensions={"code": INTERNAL}
    )


EXECUTED = "graphql_executed"


class MarkExecution(SchemaExtension):
    """Note on the context that execution started, so the HTTP layer can tell a request error
    (400: the document never ran) from an execution error (200 with `data: null`)."""

    def on_execute(self) -> Iterator[None]:
        self.execution_context.context.per_request[EXECUTED] = True
        yield
