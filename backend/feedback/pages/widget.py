"""`POST /feedback`: the answer from the "Was this page useful?" widget (components/feedback.html).

Without JavaScript the form posts here and the person returns to the page they were on, with a
thank-you where the question was (`?feedback=thanks#page-feedback`). With JavaScript
(`page-feedback.js`) the same form is posted with `Accept: application/json` and answered with
JSON, so the page does not reload. CSRF as for every form; limited per client address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from backend.auth.routes import client_ip
from backend.auth.viewer import Viewer
from backend.feedback import service
from backend.lib.forms import read_form
from backend.lib.i18n import current_language
from backend.lib.ratelimit import Limit, enforce
from backend.lib.time import utcnow

if TYPE_CHECKING:
    from backend.services import Services

LIMIT = Limit("feedback-ip", max_hits=10, window_s=60)
"""Ten answers a minute from one address: more than a person gives, few enough for a script."""
THANKS = "feedback=thanks"
ANCHOR = "#page-feedback"


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return "application/json" in request.headers.get("accept", "")


@post("/feedback", include_in_schema=False, status_code=303)
async def answer(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    await enforce(services.stores.counters, LIMIT, client_ip(request))
    form = await read_form(request)
    page = service.parse_page(form.text("page"))
    useful = service.parse_useful(form.text("useful"))
    comment = service.parse_comment(form.text("comment"), useful=useful)
    await services.catalogue.ensure_current()
    await service.record(
        services.engine,
        services.catalogue,
        page=page,
        useful=useful,
        comment=comment,
        language=current_language.get(),
        signed_in=viewer is not None,
        now=utcnow(),
    )
    if _wants_json(request):
        return Response(
            {"status": "received"}, status_code=201, headers={"Cache-Control": "no-store"}
        )
    joiner = "&" if "?" in page.back else "?"
    return Redirect(page.back + joiner + THANKS + ANCHOR, status_code=303)


ROUTES = [answer]
