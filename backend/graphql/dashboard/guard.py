"""Authorization of every dashboard object: whose dashboard it is, and may the viewer see it.

Each resolver of a dashboard type calls `dashboard_scope(info, subject_key)`, which re-checks
the viewer's right to the subject (memoised per request, so the check is cheap): a dashboard
object can only be reached for a subject the viewer may act for, whatever id or session state
was forged to get there.
"""

from __future__ import annotations

from backend.auth.assurance import company_level
from backend.auth.subjects import ALL_SCOPES, Basis, SubjectAccess
from backend.auth.viewer import Viewer
from backend.dashboard.loader import SourceResult
from backend.dashboard.service import DashboardScope, loader_for, may_view_company
from backend.dashboard.subjects import Subject
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of
from backend.lib.errors import Forbidden

FORBIDDEN = "You may not see the data of that person or company."


def company_level_ok(info: Info, viewer: Viewer) -> bool:
    needed = company_level(info.context.services.settings.auth)
    return viewer.level >= needed


async def access_to(info: Info, subject_key: str) -> SubjectAccess | None:
    """The viewer's access to `subject_key` if it includes seeing its dashboard."""
    viewer = viewer_of(info)
    if subject_key == viewer.person.subject_key:
        # Everyone may act for themselves (subjects_for always lists them first): no need to
        # ask the Enterprise Register and the delegations for the commonest case.
        return SubjectAccess(subject_key, viewer.person.name, Basis.SELF, ALL_SCOPES)
    access = (await info.context.subjects()).get(subject_key)
    if access is None or not access.is_company:
        return None  # the only person a viewer acts for is themselves
    return access if may_view_company(access) else None


async def dashboard_scope(info: Info, subject_key: str) -> DashboardScope:
    memo = info.context.per_request
    cached = memo.get(f"dashboard.scope:{subject_key}")
    if isinstance(cached, DashboardScope):
        return cached
    viewer = viewer_of(info)
    access = await access_to(info, subject_key)
    if access is None or (access.is_company and not company_level_ok(info, viewer)):
        raise Forbidden(FORBIDDEN)
    number = access.company_number
    subject = Subject.of_company(number) if number else Subject.of_person(viewer.person)
    scope = DashboardScope(viewer, access, subject)
    memo[f"dashboard.scope:{subject_key}"] = scope
    return scope


async def load_source(info: Info, subject_key: str, source: str) -> SourceResult:
    scope = await dashboard_scope(info, subject_key)
    loader = loader_for(info.context.services, info.context.per_request)
    return await loader.load(scope.subject, source, scope.actor(loader))


async def load_all(info: Info, subject_key: str) -> dict[str, SourceResult]:
    scope = await dashboard_scope(info, subject_key)
    loader = loader_for(info.context.services, info.context.per_request)
    return await loader.load_all(scope.subject, scope.actor(loader))
