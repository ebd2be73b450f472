"""The root schema: what every feature exports (its `graphql/schema.py`) merged, plus the OWASP
limits."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from backend.auth.graphql import schema as auth
from backend.catalogue.graphql import schema as catalogue
from backend.dashboard.graphql import schema as dashboard
from backend.eaddress.graphql import schema as eaddress
from backend.graphql.errors import MarkExecution
from backend.graphql.limits import MutationRateLimit
from backend.graphql.system.query import SystemQuery
from backend.notifications.graphql import schema as notifications
from backend.obligations.graphql import schema as obligations
from backend.settings import GraphQLSettings

FEATURES = (auth, obligations, dashboard, eaddress, notifications, catalogue)
"""Each feature's `graphql/schema.py`. The order is the order of the merged root types' fields
(the SDL): keep it, and add a new feature at the end."""

QUERIES: tuple[type, ...] = (SystemQuery, *(q for feature in FEATURES for q in feature.QUERIES))
MUTATIONS: tuple[type, ...] = tuple(m for feature in FEATURES for m in feature.MUTATIONS)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)


class Schema(strawberry.Schema):
    """Strawberry's schema without its error logging: that logs the query text, which may carry
    personal data. `public_error` logs unexpected errors by type and place instead."""

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None


def build_schema(settings: GraphQLSettings, *, introspection: bool) -> Schema:
    """The schema with its limits. Extensions are factories: one instance per operation."""
    # The depth and alias rules are built once per schema, not per operation as
    # QueryDepthLimiter / MaxAliasesLimiter do: ValidationCache keys on the rule classes, so a
    # fresh class per operation made every validation a miss (24 ms for a dashboard query).
    limits: list[type[ASTValidationRule]] = [
        depth_rule(settings.max_depth, None),
        aliases_rule(settings.max_aliases),
    ]
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        MarkExecution,
        MutationRateLimit,
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(AddValidationRules, limits),
        partial(ParserCache, maxsize=1024),
        partial(ValidationCache, maxsize=1024),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=True),
    )
