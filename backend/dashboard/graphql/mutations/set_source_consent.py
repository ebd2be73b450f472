"""setSourceConsent: the viewer lets a source feed their dashboard, or withdraws it (which stops
every read of it for them and purges its cached answer, fingerprints and changes)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.dashboard import consent
from backend.dashboard.cache import STORE_NAME, SourceCache
from backend.dashboard.graphql.records import DashboardSource
from backend.dashboard.graphql.transparency import SourceConsent
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of


@strawberry.type
class SourceConsentChanged:
    consent: SourceConsent


@strawberry.type
class SetSourceConsentMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def set_source_consent(
        self,
        info: Info,
        # Named apart from `source`, which Strawberry's permission extension takes itself.
        registry: Annotated[DashboardSource, strawberry.argument(name="source")],
        granted: bool,
    ) -> SourceConsentChanged:
        person = viewer_of(info).person
        dashboard = info.context.services.dashboard
        cache = SourceCache(dashboard.stores.store(STORE_NAME), dashboard.settings)
        state = await consent.set_consent(
            dashboard.engine, cache, dashboard.versions, person.id, registry.value, granted=granted
        )
        decisions = await consent.history(person.id)
        return SourceConsentChanged(consent=SourceConsent.of(state, decisions))
