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

from backend.auth.subjects import AccessList, subjects_for
from backend.auth.viewer import Viewer, load_viewer
from backend.web.gql import lenient_query

if TYPE_CHECKING:
    from backend.services import Services

STATE_KEY = "nav_company"
ACTING_KEY = "acting_for"

# The page request being handled, from `remember_navigation` to `add_unread_counts` (Litestar
# hands the after-request hook only the response; both run in the request's own task).
_PAGE_REQUEST: ContextVar[Request[Any, Any, Any] | None] = ContextVar("page_request", default=None)

# `mailSummary`, not `mailbox`: the count answers at any login level, so a bank login still
# sees that official mail is waiting (the mailbox's step-up error used to hide the badge).
NAV_COUNTS = """query NavCounts {
  notifications(first: 1) { unreadCount }
  mailSummary(first: 1) { unreadCount }
}"""


async def remember_navigation(request: Request[Any, Any, Any]) -> None:
    """`before_request` hook: put `nav_company` (bool) into the request state for base.html."""
    request.scope["state"][STATE_KEY] = False
    request.scope["state"][ACTING_KEY] = None
    _PAGE_REQUEST.set(None)
    if request.method != "GET" or "text/html" not in request.headers.get("accept", ""):
        return
    services: Services = request.app.state["services"]
    viewer = await load_viewer(request, services)
    if viewer is None:
        return
    _PAGE_REQUEST.set(request)
    access = await subjects_for(viewer.person, services.auth.representations)
    request.scope["state"][ACTING_KEY] = acting_for(viewer, access)
    request.scope["state"][STATE_KEY] = viewer.acting_as.startswith("company:") or any(
        s.is_company for s in access.subjects
    )


def acting_for(viewer: Viewer, access: AccessList) -> dict[str, str] | None:
    """For the header (`components/acting_as.html`): the company the viewer acts for, by
    name, and their own subject id to switch back to; None while acting for themselves. A
    company they may no longer act for is named by its registration number, so the header
    still says it and still offers the way back."""
    key = viewer.acting_as
    if key == viewer.person.subject_key or not key.startswith("company:"):
        return None
    found = access.get(key)
    name = found.name if found else key.removeprefix("company:")
    return {"id": key, "name": name, "self_id": viewer.person.subject_key}


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
    mail = data.get("mailSummary") or {}
    notifications = data.get("notifications") or {}
    response.context["nav_unread"] = {
        "mail": mail.get("unreadCount"),
        "notifications": notifications.get("unreadCount"),
    }
    return response
