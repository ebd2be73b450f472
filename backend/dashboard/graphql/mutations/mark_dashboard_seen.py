"""markDashboardSeen: the viewer has seen their changes up to `upTo` (default now).

Seen is a mutation, not a side effect of the query: a query may be prefetched, retried or run
by the service worker in the background, and none of that means the person saw anything. The
page calls this once it has shown the timeline, passing the newest `detectedAt` it showed, so a
change detected in between stays new.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.dashboard import changes
from backend.dashboard.graphql.types import DashboardSeen
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of


@strawberry.type
class MarkDashboardSeenMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def mark_dashboard_seen(self, info: Info, up_to: datetime | None = None) -> DashboardSeen:
        viewer = viewer_of(info)
        return DashboardSeen(seen_up_to=await changes.mark_seen(viewer.person.id, up_to))
