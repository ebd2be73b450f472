"""What the site navigation needs to know about the viewer, worked out once per page request.

The "Company" link is shown only to people who may act for a company. That takes the viewer's
subjects (the Enterprise Register answer is cached by `CachedRepresentations`, delegations are
one indexed query), so it is done only for signed-in HTML page requests, never for the API.

The unread counts next to Mail and Notifications take one small GraphQL query, run after the
handler and only when it answers with a page template for a signed-in viewer: redirects, error
pages (rendered by the exception handlers, which skip `after_request`) and anonymous pages
never pay for it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from litestar import Request, Response
from litestar.response import Template

from backend.auth.subjects import subjects_for
from backend.auth.viewer import load_viewer
from backend.web.gql import lenient_query

if TYPE_CHECKING:
    from backend.services import Services

STATE_KEY = "nav_company"

# The page request being handled, from `remember_navigation` to `add_unread_counts` (Litestar
# hands the after-request hook only the response; both run in the request's own task).
_PAGE_REQUEST: ContextVar[Request[Any, Any, Any] | None] = ContextVar("page_request", default=None)

NAV_COUNTS = """query NavCounts {
  notifications(first: 1) { unreadCount }
  mailbox { unread { inbox } }
}"""


async def remember_navigation(request: Request[Any, Any, Any]) -> None:
    """`before_request` hook: put `nav_company` (bool) into the request state for base.html."""
    request.scope["state"][STATE_KEY] = False
    _PAGE_REQUEST.set(None)
    if request.method != "GET" or "text/html" not in request.headers.get("accept", ""):
        return
    services: Services = request.app.state["services"]
    viewer = await load_viewer(request, services)
    if viewer is None:
        return
    _PAGE_REQUEST.set(request)
    if viewer.acting_as.startswith("company:"):
        request.scope["state"][STATE_KEY] = True
        return
    access = await subjects_for(viewer.person, services.auth.representations)
    request.scope["state"][STATE_KEY] = any(s.is_company for s in access.subjects)


async def add_unread_counts(response: Response[Any]) -> Response[Any]:
    """`after_request` hook: `nav_unread` ({"mail": n | None, "notifications": n | None}) for
    base.html, on signed-in pages. A count the viewer may not see (e.g. a delegate without
    mail access acting for a company) is None and shows no badge."""
    request = _PAGE_REQUEST.get()
    if (
        request is None
        or not isinstance(response, Template)
        or (response.status_code or 200) >= 400
    ):
        return response
    viewer = response.context.get("viewer")
    if not viewer:
        return response
    data = await lenient_query(request, request.app.state["services"], viewer, NAV_COUNTS)
    mailbox = data.get("mailbox") or {}
    notifications = data.get("notifications") or {}
    response.context["nav_unread"] = {
        "mail": (mailbox.get("unread") or {}).get("inbox"),
        "notifications": notifications.get("unreadCount"),
    }
    return response
