"""refreshDashboard: ask every source again now, ignoring fresh cached answers (rate-limited
per person: DASHBOARD_REFRESH_LIMIT per DASHBOARD_REFRESH_WINDOW_S)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.dashboard.graphql.guard import load_all
from backend.dashboard.graphql.query import resolve_dashboard
from backend.dashboard.graphql.types import CompanyDashboard, DashboardResult, PersonDashboard
from backend.dashboard.service import enforce_refresh_limit, loader_for
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.lib.errors import RateLimited


@strawberry.type
class DashboardRefreshed:
    dashboard: DashboardResult


@strawberry.type(description="Refreshed too often; try again after retryAfterSeconds.")
class RefreshRateLimited:
    message: str
    retry_after_seconds: int
    code: str = "rate_limited"


RefreshDashboardResult = Annotated[
    DashboardRefreshed | RefreshRateLimited, strawberry.union("RefreshDashboardResult")
]


@strawberry.type
class RefreshDashboardMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def refresh_dashboard(self, info: Info) -> RefreshDashboardResult:
        viewer = viewer_of(info)
        services = info.context.services
        # Whose dashboard first (the acting-as subject, through the one guard): a refusal
        # refreshes nothing and costs nothing of the person's refresh allowance.
        dashboard = await resolve_dashboard(info)
        if not isinstance(dashboard, PersonDashboard | CompanyDashboard):
            return DashboardRefreshed(dashboard=dashboard)
        try:
            await enforce_refresh_limit(services.dashboard, viewer.person)
        except RateLimited as exc:
            return RefreshRateLimited(message=exc.message, retry_after_seconds=exc.retry_after)
        loader_for(services.dashboard, info.context.per_request, force=True)
        # Every source, whatever the client selects: that is what a refresh means.
        await load_all(info, dashboard.subject_key)
        return DashboardRefreshed(dashboard=dashboard)
