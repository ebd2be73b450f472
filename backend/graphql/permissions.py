"""Who may read what: the viewer, assurance levels, and the subject being acted for.

Field-level permission classes guard entry points; object-level checks happen where objects
are loaded (service functions take the viewer and return only what they may see), so a
forged id reaches nothing.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from backend.auth.assurance import Level
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
    return f"/auth/login?level={level.label}&next={next_path}"
