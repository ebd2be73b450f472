"""/privacy: which sources may feed my dashboard (consent per source, with its history), and
who looked at my data (the data-access log, paged newest first).

Always about the person themselves, whoever they act for: consent is personal, and a company's
log is shown on /company to those who may see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.auth.viewer import Viewer
from backend.lib.forms import read_form
from backend.web.gql import page_query

if TYPE_CHECKING:
    from backend.services import Services

PAGE_SIZE = 20

PRIVACY = """
query Privacy($self: ID, $first: Int!, $after: String) { me { dashboard(subjectId: $self) {
  __typename
  ... on PersonDashboard {
    consents { source granted changedAt history { granted at } }
    dataAccess(first: $first, after: $after) {
      entries { id at source purpose onBehalf actorName outcome }
      pageInfo { hasNextPage endCursor }
    }
  }
} } }"""

SET_CONSENT = """mutation($source: DashboardSource!, $granted: Boolean!) {
  setSourceConsent(source: $source, granted: $granted) { consent { granted } } }"""

SOURCES = (
    "POPULATION_REGISTER",
    "SSIA",
    "NHS",
    "CSDD",
    "LAND_SERVICE",
    "SRS",
    "MUNICIPALITIES",
    "ENTERPRISE_REGISTER",
)


@get("/privacy", include_in_schema=False)
async def privacy_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    after: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
) -> Template:
    variables = {
        "self": viewer.person.subject_key if viewer else None,
        "first": PAGE_SIZE,
        "after": after or None,
    }
    data = await page_query(request, services, viewer, PRIVACY, variables)
    dashboard = data["me"]["dashboard"]
    order = {name: i for i, name in enumerate(SOURCES)}
    consents = sorted(dashboard["consents"], key=lambda c: order.get(c["source"], 99))
    return Template(
        "pages/privacy/privacy.html",
        context={
            "viewer": viewer,
            "consents": consents,
            "log": dashboard["dataAccess"],
            "paged": bool(after),
            "notice": notice,
        },
    )


@post("/privacy/consent", include_in_schema=False, status_code=303)
async def set_consent(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    form = await read_form(request)
    source = form.text("source")
    granted = form.text("granted") == "true"
    if source not in SOURCES:
        return Redirect("/privacy?notice=unknown_source", status_code=303)
    await page_query(request, services, viewer, SET_CONSENT, {"source": source, "granted": granted})
    return Redirect(f"/privacy?notice={'granted' if granted else 'withdrawn'}", status_code=303)


ROUTES = [privacy_page, set_consent]
