"""`/feedback/survey`: the yearly survey for signed-in people (NPS and the ten SUS items)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.auth.viewer import Viewer
from backend.feedback import survey
from backend.feedback.scores import SUS_ITEMS
from backend.lib.errors import AppError
from backend.lib.forms import read_form
from backend.lib.time import riga_today, utcnow
from backend.web.gql import LoginRequired

if TYPE_CHECKING:
    from backend.services import Services

PATH = "/feedback/survey"


def _key(services: Services, viewer: Viewer) -> str:
    year = riga_today().year
    return survey.respondent_key(services.settings.web.secret_key, viewer.person.id, year)


def _page(
    viewer: Viewer,
    *,
    done: bool,
    error: str | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "pages/feedback/survey.html",
        context={
            "viewer": viewer,
            "done": done,
            "error": error,
            "values": values or {},
            "items": range(1, SUS_ITEMS + 1),
        },
        status_code=status_code,
        headers={"Cache-Control": "private, no-store"},
    )


@get(PATH, include_in_schema=False)
async def survey_page(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    done: FromQuery[str | None] = None,
) -> Template:
    if viewer is None:
        raise LoginRequired(PATH)
    return _page(viewer, done=bool(done) or await survey.answered(_key(services, viewer)))


@post(PATH, include_in_schema=False, status_code=303)
async def answer_survey(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Response[Any]:
    if viewer is None:
        raise LoginRequired(PATH)
    form = await read_form(request)
    nps_raw = form.text("nps")
    sus_raw = [form.text(f"sus-{n}") for n in range(1, SUS_ITEMS + 1)]
    try:
        nps_answer, sus = survey.parse_answers(nps_raw, sus_raw)
    except AppError as failure:
        values = {"nps": nps_raw} | {f"sus-{n}": a for n, a in enumerate(sus_raw, 1)}
        return _page(viewer, done=False, error=failure.code, values=values, status_code=400)
    await survey.record(_key(services, viewer), nps_answer=nps_answer, sus=sus, now=utcnow())
    return Redirect(f"{PATH}?done=1", status_code=303)


ROUTES = [survey_page, answer_survey]
