"""`me { dashboard(subjectId) }`: the dashboard of the subject the viewer acts for.

Without `subjectId` it follows the session's acting-as subject. A subject the viewer may not act
for (a forged id, a forged session, a delegation revoked since) gives `ForbiddenError`; a
company with too weak a login gives `StepUpRequired`. The dashboard object itself holds no
data: each field loads its source, re-checking the viewer's right (`guard.py`).
"""

from __future__ import annotations

import strawberry

from backend.dashboard.graphql.guard import dashboard_scope
from backend.dashboard.graphql.types import CompanyDashboard, DashboardResult, PersonDashboard
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of
from backend.graphql.results import refusal
from backend.lib.errors import Forbidden


async def resolve_dashboard(info: Info, subject_id: strawberry.ID | None = None) -> DashboardResult:
    viewer = viewer_of(info)
    key = str(subject_id) if subject_id is not None else viewer.acting_as
    try:
        scope = await dashboard_scope(info, key)
    except Forbidden as exc:
        return refusal(exc)
    if scope.access.is_company:
        return CompanyDashboard(
            subject_key=key, subject_id=strawberry.ID(key), name=scope.access.name
        )
    return PersonDashboard(subject_key=key, subject_id=strawberry.ID(key), name=viewer.person.name)


dashboard_field = strawberry.field(
    resolver=resolve_dashboard,
    description="What the registries say about the subject the viewer acts for (or subjectId): "
    "a person's or a company's dashboard, ForbiddenError or StepUpRequired.",
)
