"""Report a problem with a page: the form (`/feedback/report?page=…`), its post, and the
report's own page for the reporter (`/feedback/reports/{reference}/{key}`), which shows the
reference number, the status and the answer once there is one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.auth.routes import client_ip
from backend.auth.viewer import Viewer
from backend.feedback import reports, service
from backend.lib.errors import AppError, NotFound
from backend.lib.forms import read_form
from backend.lib.i18n import current_language
from backend.lib.ratelimit import Limit, enforce
from backend.lib.time import utcnow

if TYPE_CHECKING:
    from backend.services import Services

LIMIT = Limit("problem-report-ip", max_hits=5, window_s=60)
PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex",
           "Referrer-Policy": "no-referrer"}  # fmt: skip


def _form(
    viewer: Viewer | None,
    page: service.Page,
    *,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "pages/feedback/report.html",
        context={"viewer": viewer, "page": page, "error": error, "values": values or {}},
        status_code=status_code,
        headers={"Cache-Control": "private, no-store"},
    )


@get("/feedback/report", include_in_schema=False)
async def report_form(
    viewer: NamedDependency[Viewer | None], page: FromQuery[str | None] = None
) -> Template:
    return _form(viewer, service.parse_page(page or "/"))


@post("/feedback/report", include_in_schema=False, status_code=303)
async def file_report(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    await enforce(services.stores.counters, LIMIT, client_ip(request))
    form = await read_form(request)
    page = service.parse_page(form.text("page"))
    values = {"kind": form.text("kind"), "description": form.text("description")[:4000]}
    try:
        kind = reports.parse_kind(values["kind"])
        description = reports.parse_description(values["description"])
    except AppError as failure:
        return _form(viewer, page, error=failure.code, values=values, status_code=400)
    browser = request.headers.get("user-agent") if form.checked("share_browser") else None
    await services.catalogue.ensure_current()
    reference = await reports.file_report(
        services.catalogue, page=page, kind=kind, description=description, browser=browser,
        language=current_language.get(), now=utcnow(),
    )  # fmt: skip
    key = reports.access_key(services.settings.web.secret_key, reference)
    return Redirect(f"/feedback/reports/{reference}/{key}", status_code=303)


@get("/feedback/reports/{reference:str}/{key:str}", include_in_schema=False)
async def report_status(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    reference: FromPath[str],
    key: FromPath[str],
) -> Template:
    found = None
    if reports.key_matches(services.settings.web.secret_key, reference, key):
        found = await reports.report(reference)
    if found is None:
        raise NotFound("There is no report at this address.", code="report_not_found")
    return Template(
        "pages/feedback/report_status.html",
        context={"viewer": viewer, "report": found},
        headers=PRIVATE,
    )


ROUTES = [report_form, file_report, report_status]
