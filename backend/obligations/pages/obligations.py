"""/obligations: what is due, by date, with marking forms and the calendar subscription.

Reads and writes go through the GraphQL schema in-process. Marking forms post here and redirect
back with a notice (post/redirect/get). The one exception is making a calendar feed: its secret
URL exists only in the mutation's answer (only a hash is stored), so that answer is rendered
directly instead of being kept somewhere for a redirect.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.auth.viewer import Viewer
from backend.lib.errors import Forbidden, NotFound
from backend.lib.forms import read_form
from backend.web.documents import SUBJECTS
from backend.web.gql import page_query

if TYPE_CHECKING:
    from backend.services import Services

OBLIGATIONS = f"""
query Obligations($subject: ID, $from: Date, $to: Date) {{
  me {{ {SUBJECTS} }}
  obligations(subjectId: $subject, from: $from, to: $to) {{
    subject {{ id name }}
    today
    obligations {{ id title description dueDate statutoryDate windowOpens amount lateInterest
                  legalBasis actionUrl legalDeadline canMarkDone immediate daysLeft status
                  acknowledged downloadUrl }}
    opportunities {{ id title explanation eligibleBecause {{ label value }} actionUrl applyBy
                    amount }}
    skipped {{ rule reason source message }}
  }}
  calendarFeeds {{ subjectId createdAt }}
}}"""

MARK_RESULT = """__typename ... on InvalidInput { code } ... on StepUpRequired { loginUrl }"""
DONE = f"""mutation($input: ObligationInput!) {{
  markObligationDone(input: $input) {{ {MARK_RESULT} }} }}"""
ACKNOWLEDGE = f"""mutation($input: ObligationInput!) {{
  acknowledgeObligation(input: $input) {{ {MARK_RESULT} }} }}"""
SNOOZE = f"""mutation($input: ObligationInput!, $until: Date!) {{
  snoozeObligation(input: $input, until: $until) {{ {MARK_RESULT} }} }}"""
CREATE_FEED = """mutation($subject: ID) { createCalendarFeed(subjectId: $subject) {
  __typename ... on CalendarFeedCreated { url } ... on StepUpRequired { loginUrl } } }"""
REVOKE_FEED = """mutation($subject: ID) { revokeCalendarFeed(subjectId: $subject) {
  __typename } }"""

# An obligation's form comes back to its own card (#ob-<id>, ?ob=<id>), issue 15 item 9.
OBLIGATION_ID = re.compile(r"[A-Za-z0-9:._-]{1,200}")
OBLIGATION_NOTICES = frozenset(
    {
        "done",
        "snooze",
        "acknowledge",
        "invalid_date",
        "after_due_date",
        "not_in_future",
        "confirmed_by_state",
    }
)

MARKS = {
    "done": (DONE, "markObligationDone"),
    "acknowledge": (ACKNOWLEDGE, "acknowledgeObligation"),
}


def _date(value: str | None) -> str | None:
    """An ISO date from a form or query, or None when empty or not a date."""
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def _page_url(subject: str | None, notice: str | None = None, **extra: str | None) -> str:
    params = {k: v for k, v in {"subject": subject, **extra, "notice": notice}.items() if v}
    return "/obligations" + (f"?{urlencode(params)}" if params else "")


async def _render(
    request: Request[Any, Any, Any],
    services: Services,
    viewer: Viewer | None,
    *,
    subject: str | None,
    date_from: str | None,
    date_to: str | None,
    notice: str | None = None,
    feed_url: str | None = None,
    obligation: str | None = None,
) -> Template:
    if date_from and date_to and date_from > date_to:
        date_from, date_to, notice = date_to, date_from, "range_swapped"
    variables = {"subject": subject, "from": date_from, "to": date_to}
    try:
        data = await page_query(request, services, viewer, OBLIGATIONS, variables)
    except Forbidden:
        if subject is not None or viewer is None:
            raise
        # Acting for a company whose obligations this person may not see (a delegate who
        # reads its mail): their own obligations, rather than an error page.
        variables["subject"] = viewer.person.subject_key
        data = await page_query(request, services, viewer, OBLIGATIONS, variables)
    overview = data["obligations"]
    subject_id = overview["subject"]["id"]
    switchable = [
        s for s in data["me"]["subjects"] if "OBLIGATIONS" in s["scopes"] or s["basis"] == "SELF"
    ]
    return Template(
        "pages/obligations/obligations.html",
        context={
            "viewer": viewer,
            "overview": overview,
            "subject_id": subject_id,
            # Buttons that act for a company name it (issue 15): whose obligation is marked.
            "for_company": subject_id.startswith("company:"),
            "subjects": switchable,
            "date_from": date_from or "",
            "date_to": date_to or "",
            "feed": next((f for f in data["calendarFeeds"] if f["subjectId"] == subject_id), None),
            "feed_url": feed_url,
            "notice": notice,
            # The obligation whose form was sent: its notice (and the focus) go to its card,
            # or to the top of the list when marking it done or snoozed took it off the list.
            "obligation_notice": obligation if notice in OBLIGATION_NOTICES else None,
            "tomorrow": (date.fromisoformat(overview["today"]) + timedelta(days=1)).isoformat(),
        },
    )


@get("/obligations", include_in_schema=False)
async def obligations_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    *,
    subject: FromQuery[str | None] = None,
    date_from: FromQuery[str | None] = None,
    date_to: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
    ob: FromQuery[str | None] = None,
) -> Template:
    return await _render(
        request,
        services,
        viewer,
        subject=subject or None,
        date_from=_date(date_from),
        date_to=_date(date_to),
        notice=notice,
        obligation=ob if ob and OBLIGATION_ID.fullmatch(ob) else None,
    )


async def _form(request: Request[Any, Any, Any]) -> tuple[str | None, dict[str, str | None]]:
    form = await read_form(request)
    subject = form.text("subject") or None
    keep = {"date_from": _date(form.text("date_from")), "date_to": _date(form.text("date_to"))}
    return subject, keep | {"until": form.text("until")}


@post("/obligations/{obligation_id:str}/{action:str}", include_in_schema=False, status_code=303)
async def mark_obligation(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    obligation_id: FromPath[str],
    action: FromPath[str],
) -> Response[Any]:
    subject, fields = await _form(request)
    until = fields.pop("until")
    variables: dict[str, Any] = {"input": {"id": obligation_id, "subjectId": subject}}
    if action == "snooze":
        if not _date(until):
            url = _page_url(subject, "invalid_date", ob=obligation_id, **fields)
            return Redirect(url, status_code=303)
        document, field = SNOOZE, "snoozeObligation"
        variables["until"] = until
    elif action in MARKS:
        document, field = MARKS[action]
    else:
        raise NotFound("No such action.")
    result = (await page_query(request, services, viewer, document, variables))[field]
    kind = result["__typename"]
    if kind == "NotFoundError":
        raise NotFound("No such obligation.")
    if kind == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    if kind == "InvalidInput":
        url = _page_url(subject, result["code"], ob=obligation_id, **fields)
        return Redirect(url, status_code=303)
    if kind == "ForbiddenError":
        return Redirect(_page_url(None, "forbidden"), status_code=303)
    return Redirect(_page_url(subject, action, ob=obligation_id, **fields), status_code=303)


@post("/obligations/calendar", include_in_schema=False, status_code=200)
async def create_feed(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    subject, fields = await _form(request)
    result = (await page_query(request, services, viewer, CREATE_FEED, {"subject": subject}))[
        "createCalendarFeed"
    ]
    if result["__typename"] == "StepUpRequired":
        return Redirect(result["loginUrl"], status_code=303)
    if result["__typename"] != "CalendarFeedCreated":
        return Redirect(_page_url(None, "forbidden"), status_code=303)
    return await _render(
        request,
        services,
        viewer,
        subject=subject,
        date_from=fields["date_from"],
        date_to=fields["date_to"],
        feed_url=result["url"],
    )


@post("/obligations/calendar/revoke", include_in_schema=False, status_code=303)
async def revoke_feed(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    subject, fields = await _form(request)
    fields.pop("until")
    result = (await page_query(request, services, viewer, REVOKE_FEED, {"subject": subject}))[
        "revokeCalendarFeed"
    ]
    notice = "feed_revoked" if result["__typename"] == "CalendarFeedRevoked" else "no_feed"
    return Redirect(_page_url(subject, notice, **fields), status_code=303)


ROUTES = [obligations_page, mark_obligation, create_feed, revoke_feed]
