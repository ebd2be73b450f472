"""The home page: the anonymous landing, or the dashboard of the subject the viewer acts for.

A person's home shows the changes since the last visit, upcoming obligations and opportunities,
seasonal notes and one panel per registry with that source's freshness. Acting for a company,
it shows the company's dashboard and obligations (the same panels as /company).

Every read goes through the GraphQL schema in-process. Changes are marked seen up to the newest
one shown, and only for a real navigation: a prefetch is not the person looking.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.auth.sessions import LOGGED_OUT_COOKIE
from backend.auth.viewer import Viewer
from backend.catalogue.pages.landing import visitor_home
from backend.lib.http import is_prefetch
from backend.lib.offline import OfflineDeadline
from backend.lib.time import riga_today
from backend.web.documents import (
    COMPANY_DASHBOARD,
    DASHBOARD_ERRORS,
    MAIL_SUMMARY,
    OBLIGATION_SUMMARY,
    PERSON_DASHBOARD,
    sources_by_name,
)
from backend.web.gql import lenient_query, page_query
from backend.web.offline import deadlines_for

if TYPE_CHECKING:
    from backend.services import Services

HOME = f"""
query Home {{
  me {{
    givenName
    actingAs {{ id name basis registrationNumber }}
    subjects {{ id basis scopes }}
    dashboard {{ __typename {DASHBOARD_ERRORS} {PERSON_DASHBOARD} {COMPANY_DASHBOARD} }}
  }}
  seasonalHighlights {{ id title text actionUrl ends }}
}}"""

UPCOMING = f"""
query Upcoming {{
  obligations {{
    obligations {{ {OBLIGATION_SUMMARY} }}
    opportunities {{ id title explanation actionUrl applyBy amount }}
  }}
}}"""

MARK_SEEN = "mutation($upTo: DateTime) { markDashboardSeen(upTo: $upTo) { seenUpTo } }"

REFRESH = """mutation { refreshDashboard {
  __typename ... on RefreshRateLimited { retryAfterSeconds } } }"""

UPCOMING_SHOWN = 5


async def _mark_seen(
    request: Request[Any, Any, Any], services: Services, viewer: Viewer, dashboard: dict[str, Any]
) -> None:
    changes = dashboard.get("changes") or {}
    entries = changes.get("entries") or []
    if changes.get("newCount") and entries and not is_prefetch(request):
        # Up to the newest change shown: one detected while the page rendered stays new.
        up_to = max(entry["detectedAt"] for entry in entries)
        await page_query(request, services, viewer, MARK_SEEN, {"upTo": up_to})


async def _offline_deadlines(
    request: Request[Any, Any, Any], viewer: Viewer, kind: str, upcoming: dict[str, Any]
) -> list[dict[str, str]]:
    """The person's own deadlines for the device snapshot: from the page's own answer when the
    home shows them (titles already in the page's language), so they are not worked out twice;
    acting for a company, from the obligations feature's hook (the person's own, not the
    company's)."""
    if kind != "PersonDashboard" or not upcoming["obligations"]:
        return await deadlines_for(request.app.state, viewer)
    name = f"{viewer.person.given_name} {viewer.person.family_name}"
    return [
        OfflineDeadline(
            o["title"], date.fromisoformat(o["dueDate"]), name, "/obligations"
        ).as_json()
        for o in upcoming["obligations"]
    ]


def mail_url(subject_id: str, self_id: str) -> str:
    """The mailbox of whom the page is about (a company's by its id)."""
    return "/mail" if subject_id == self_id else f"/mail?subject={quote(subject_id)}"


@get("/", include_in_schema=False)
async def home(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    notice: FromQuery[str | None] = None,
    retry: FromQuery[int | None] = None,
) -> Response[Any]:
    if viewer is None:
        # Set by POST /auth/logout (the provider sends the browser back to the bare "/"): say
        # once that the logout worked, then forget it.
        landing = await visitor_home(request, services)
        if request.cookies.get(LOGGED_OUT_COOKIE) == "1":
            landing.context["logged_out"] = True
            landing.delete_cookie(LOGGED_OUT_COOKIE, path="/")
        return landing
    data = await page_query(request, services, viewer, HOME)
    me = data["me"]
    dashboard = me["dashboard"]
    kind = dashboard["__typename"]
    if kind == "StepUpRequired":
        return Redirect(dashboard["loginUrl"], status_code=303)
    upcoming: dict[str, Any] = {"obligations": [], "opportunities": []}
    acting = next((s for s in me["subjects"] if s["id"] == me["actingAs"]["id"]), None)
    # A delegate may read a company's mail without seeing its obligations.
    sees_obligations = acting is not None and "OBLIGATIONS" in acting["scopes"]
    if kind in ("PersonDashboard", "CompanyDashboard") and sees_obligations:
        upcoming = (await page_query(request, services, viewer, UPCOMING))["obligations"]
    if kind == "PersonDashboard":
        await _mark_seen(request, services, viewer, dashboard)
    self_id = next(s["id"] for s in me["subjects"] if s["basis"] == "SELF")
    # First on the page, at any login level: official mail's legal clock runs unopened.
    mail = (await lenient_query(request, services, viewer, MAIL_SUMMARY)).get("mailSummary")
    context = {
        "viewer": viewer,
        "me": me,
        "self_id": self_id,
        "dashboard": dashboard,
        "sources": sources_by_name(dashboard),
        "obligations": upcoming["obligations"][:UPCOMING_SHOWN],
        "more_obligations": len(upcoming["obligations"]) > UPCOMING_SHOWN,
        "opportunities": upcoming["opportunities"],
        "sees_obligations": sees_obligations,
        "highlights": data["seasonalHighlights"],
        "offline_deadlines": await _offline_deadlines(request, viewer, kind, upcoming),
        "mail": mail,
        "mail_url": mail_url(me["actingAs"]["id"], self_id),
        "today": riga_today(services.clock()).isoformat(),
        "notice": notice,
        "retry_minutes": max(1, -(-(retry or 60) // 60)),
    }
    return Template("pages/home.html", context=context)


@post("/dashboard/refresh", include_in_schema=False, status_code=303)
async def refresh(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Redirect:
    result = (await page_query(request, services, viewer, REFRESH))["refreshDashboard"]
    if result["__typename"] == "RefreshRateLimited":
        return Redirect(
            f"/?notice=rate_limited&retry={int(result['retryAfterSeconds'])}", status_code=303
        )
    return Redirect("/?notice=refreshed", status_code=303)


ROUTES = [home, refresh]
