"""Who may read what: the viewer, assurance levels, and the subject being acted for.

Field-level permission classes guard entry points; object-level checks happen where objects
are loaded (service functions take the viewer and return only what they may see), so a
forged id reaches nothing. Every field that acts for a subject (`subjectId`, or the
session's acting-as subject) passes `subject_access`: `backend.auth.subjects.authorize` with
this request's viewer, so the company level (`AUTH_MIN_LEVEL_COMPANY`) is checked in one
place; `tests/integration/auth/test_company_guard.py` walks the schema to hold every field
to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from strawberry.permission import BasePermission

from backend.auth.assurance import Level
from backend.auth.subjects import (
    ALL_SCOPES,
    NOT_YOURS,
    Basis,
    Scope,
    SubjectAccess,
    authorize,
)
from backend.auth.viewer import Viewer
from backend.graphql.context import Info
from backend.lib.errors import Unauthenticated


class IsAuthenticated(BasePermission):
    message = "Log in to see this."
    error_class = Unauthenticated  # type: ignore[assignment]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer is not None


def viewer_of(info: Info) -> Viewer:
    """The logged-in viewer; raises Unauthenticated (code `unauthenticated`) otherwise."""
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated("Log in to see this.")
    return viewer


def step_up_url(level: Level, next_path: str = "/") -> str:
    """The page explaining why a login at `level` is needed and which methods qualify, whose
    button starts that login, back to `next_path` afterwards (its query encoded, so `&` in
    it stays part of it). Never straight to the provider: a person sent to log in again
    without a word does not know why (issue 15)."""
    return f"/auth/step-up?level={level.label}&next={quote(next_path, safe='/')}"


def step_up_login_url(level: Level, next_path: str = "/") -> str:
    """The login itself at `level` (the step-up page's button)."""
    return f"/auth/login?level={level.label}&next={quote(next_path, safe='/')}"


async def subject_access(
    info: Info,
    subject_key: str,
    *,
    scope: Scope | None = None,
    allows: Callable[[SubjectAccess], bool] | None = None,
    floor: Level = Level.LOW,
    message: str = NOT_YOURS,
) -> SubjectAccess:
    """The viewer's access to `subject_key` through the one guard (`authorize`): Forbidden
    for a subject they may not act for (or without `scope`), StepUpNeeded for a login too
    weak for it. Whom the viewer may act for is asked once per request."""
    viewer = viewer_of(info)
    if subject_key == viewer.person.subject_key:
        # Everyone may act for themselves (subjects_for lists them first): no need to ask the
        # Enterprise Register and the delegations for the commonest case.
        found: SubjectAccess | None = SubjectAccess(
            subject_key, viewer.person.name, Basis.SELF, ALL_SCOPES
        )
    else:
        found = (await info.context.subjects()).get(subject_key)
    return authorize(
        found,
        level=viewer.level,
        auth=info.context.services.settings.auth,
        scope=scope,
        allows=allows,
        floor=floor,
        message=message,
    )
