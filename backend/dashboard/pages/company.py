"""/company: the company workspace — whom I act for, the company's dashboard (facts, officers,
taxes), its obligations, a link to its mailbox, the delegations that concern it, and (for its
officers and delegation managers) who opened its mail or read its data.

Only for people who may act for a company (others get 404) — or who may, for all we know: while
the Enterprise Register cannot be asked and none of their roles are known, the page says that it
could not check. The acting-as switch posts to /account/acting-as (the account page's handler)
and comes back here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.auth.viewer import Viewer
from backend.lib.errors import NotFound
from backend.lib.time import riga_today
from backend.web.documents import (
    COMPANY_DASHBOARD,
    DASHBOARD_ERRORS,
    MAIL_SUMMARY,
    OBLIGATION_SUMMARY,
    SUBJECTS,
    sources_by_name,
)
from backend.web.gql import lenient_query, page_query

if TYPE_CHECKING:
    from backend.services import Services

COMPANY = f"""
query Company {{
  me {{
    {SUBJECTS} companiesUnavailable companiesAsOf
    delegationsGiven {{ id companyRegistrationNumber granteeName granteePersonalCode scopes
                       validUntil status }}
    delegationsReceived {{ id companyName grantorName scopes validUntil status }}
    dashboard {{ __typename {DASHBOARD_ERRORS} {COMPANY_DASHBOARD} }}
  }}
}}"""

COMPANY_OBLIGATIONS = f"""
query CompanyObligations($subject: ID) {{
  obligations(subjectId: $subject) {{ obligations {{ {OBLIGATION_SUMMARY} }} }}
}}"""

COMPANY_LOG = """
query CompanyLog($subject: ID, $first: Int!, $after: String) { me { dashboard(subjectId: $subject) {
  __typename
  ... on CompanyDashboard { dataAccess(first: $first, after: $after) {
    entries { id at source purpose onBehalf actorName outcome }
    pageInfo { hasNextPage endCursor }
  } }
} } }"""

SHOWN = 5
LOG_PAGE = 10


def may_see_log(acting: dict[str, Any]) -> bool:
    """As `dashboard.service.may_see_access_log`: officers and delegation managers."""
    return acting["basis"] in ("SOLE", "JOINT") or "MANAGE_DELEGATIONS" in acting["scopes"]


@get("/company", include_in_schema=False)
async def company_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    after: FromQuery[str | None] = None,
) -> Response[Any]:
    me = (await page_query(request, services, viewer, COMPANY))["me"]
    companies = [s for s in me["subjects"] if s["registrationNumber"]]
    acting = next((s for s in companies if s["id"] == me["actingAs"]["id"]), None)
    if not companies and acting is None and not me["companiesUnavailable"]:
        raise NotFound("You do not act for any company.")
    dashboard = me["dashboard"]
    if acting is not None and dashboard["__typename"] == "StepUpRequired":
        return Redirect(dashboard["loginUrl"], status_code=303)
    obligations: list[dict[str, Any]] = []
    if acting is not None and "OBLIGATIONS" in acting["scopes"]:
        obligations = (
            await page_query(
                request, services, viewer, COMPANY_OBLIGATIONS, {"subject": acting["id"]}
            )
        )["obligations"]["obligations"]
    log = None
    if acting is not None and dashboard["__typename"] == "CompanyDashboard" and may_see_log(acting):
        variables = {"subject": acting["id"], "first": LOG_PAGE, "after": after or None}
        board = (await page_query(request, services, viewer, COMPANY_LOG, variables))["me"]
        log = board["dashboard"].get("dataAccess")
    mail = None
    if acting is not None:  # its unread official mail, as on the home page (none without view_mail)
        answer = await lenient_query(
            request, services, viewer, MAIL_SUMMARY, {"subject": acting["id"]}
        )
        mail = answer.get("mailSummary")
    number = acting["registrationNumber"] if acting else None
    return Template(
        "pages/company/company.html",
        context={
            "viewer": viewer,
            "me": me,
            "companies": companies,
            "acting": acting,
            "self_subject": next(s for s in me["subjects"] if s["basis"] == "SELF"),
            "dashboard": dashboard if dashboard["__typename"] == "CompanyDashboard" else None,
            "sources": sources_by_name(dashboard),
            "obligations": obligations[:SHOWN],
            "log": log,
            "mail": mail,
            "today": riga_today(services.clock()).isoformat(),
            "log_paged": bool(after),
            "given": [
                d for d in me["delegationsGiven"] if d["companyRegistrationNumber"] == number
            ],
            "received": [
                d
                for d in me["delegationsReceived"]
                if acting is not None and d["companyName"] == acting["name"]
            ],
        },
    )


ROUTES = [company_page]
