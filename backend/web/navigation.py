"""What the site navigation needs to know about the viewer, worked out once per page request.

The "Company" link is shown only to people who may act for a company. That takes the viewer's
subjects (the Enterprise Register answer is cached by `CachedRepresentations`, delegations are
one indexed query), so it is done only for signed-in HTML page requests, never for the API.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from backend.auth.subjects import subjects_for
from backend.auth.viewer import load_viewer
from backend.services import Services

STATE_KEY = "nav_company"


async def remember_navigation(request: Request[Any, Any, Any]) -> None:
    """`before_request` hook: put `nav_company` (bool) into the request state for base.html."""
    request.scope["state"][STATE_KEY] = False
    if request.method != "GET" or "text/html" not in request.headers.get("accept", ""):
        return
    services: Services = request.app.state["services"]
    viewer = await load_viewer(request, services)
    if viewer is None:
        return
    if viewer.acting_as.startswith("company:"):
        request.scope["state"][STATE_KEY] = True
        return
    access = await subjects_for(viewer.person, services.representations)
    request.scope["state"][STATE_KEY] = any(s.is_company for s in access.subjects)


def shows_company(request: Request[Any, Any, Any]) -> bool:
    """For templates: whether the "Company" link belongs in the navigation."""
    return bool(request.scope.get("state", {}).get(STATE_KEY, False))
