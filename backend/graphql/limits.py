"""Rate limits on GraphQL mutations, per person and per client IP (store-backed counters)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from backend.lib.ratelimit import Limit, enforce


class MutationRateLimit(SchemaExtension):
    """Refuse mutations beyond the configured rate with code `rate_limited`."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if self.execution_context.operation_type == OperationType.MUTATION:
            services = context.services
            per_minute = services.settings.auth.mutation_rate_per_minute
            counters = services.stores.counters
            if context.viewer is not None:
                await enforce(
                    counters,
                    Limit("mutation-person", per_minute, 60),
                    str(context.viewer.person.id),
                )
            request = context.request
            if request is not None and request.client is not None:
                await enforce(
                    counters, Limit("mutation-ip", 2 * per_minute, 60), request.client.host
                )
        yield
