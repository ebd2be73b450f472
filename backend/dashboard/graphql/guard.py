"""Authorization of every dashboard object: whose dashboard it is, and may the viewer see it.

Each resolver of a dashboard type calls `dashboard_scope(info, subject_key)`, which re-checks
the viewer's right to the subject (memoised per request, so the check is cheap): a dashboard
object can only be reached for a subject the viewer may act for, whatever id or session state
was forged to get there.
"""

from __future__ import annotations

from backend.auth.subjects import SubjectAccess
from backend.dashboard.loader import SourceResult
from backend.dashboard.service import DashboardScope, loader_for, may_view_company
from backend.dashboard.subjects import Subject
from backend.graphql.context import Info
from backend.graphql.permissions import subject_access, viewer_of

FORBIDDEN = "You may not see the data of that person or company."


def _dashboard_allowed(access: SubjectAccess) -> bool:
    return not access.is_company or may_view_company(access)


async def dashboard_scope(info: Info, subject_key: str) -> DashboardScope:
    """The viewer's right to `subject_key`'s dashboard, through the one guard
    (`subject_access`): Forbidden, or StepUpNeeded for a company behind a weak login."""
    memo = info.context.per_request
    cached = memo.get(f"dashboard.scope:{subject_key}")
    if isinstance(cached, DashboardScope):
        return cached
    viewer = viewer_of(info)
    access = await subject_access(info, subject_key, allows=_dashboard_allowed, message=FORBIDDEN)
    number = access.company_number
    subject = Subject.of_company(number) if number else Subject.of_person(viewer.person)
    scope = DashboardScope(viewer, access, subject)
    memo[f"dashboard.scope:{subject_key}"] = scope
    return scope


async def load_source(info: Info, subject_key: str, source: str) -> SourceResult:
    scope = await dashboard_scope(info, subject_key)
    loader = loader_for(info.context.services.dashboard, info.context.per_request)
    return await loader.load(scope.subject, source, scope.actor(loader))


async def load_all(info: Info, subject_key: str) -> dict[str, SourceResult]:
    scope = await dashboard_scope(info, subject_key)
    loader = loader_for(info.context.services.dashboard, info.context.per_request)
    return await loader.load_all(scope.subject, scope.actor(loader))
