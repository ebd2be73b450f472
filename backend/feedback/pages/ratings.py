"""`POST /feedback/ratings/{application_id}`: the rating form on a decided application's page
(components/service_rating.html). The application is read through GraphQL as the viewer may
see it, so the same guard decides who may rate it (else 404 or a login)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from backend.auth.viewer import Viewer
from backend.feedback import ratings
from backend.lib.errors import Conflict
from backend.lib.forms import read_form
from backend.lib.time import utcnow
from backend.web.gql import LoginRequired, page_query

if TYPE_CHECKING:
    from backend.services import Services

GUARD = "query($id: ID!) { application(id: $id) { id status service } }"


@post("/feedback/ratings/{application_id:str}", include_in_schema=False, status_code=303)
async def rate_service(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    application_id: FromPath[str],
) -> Response[Any]:
    if viewer is None:
        raise LoginRequired(f"/applications/{application_id}")
    app = (await page_query(request, services, viewer, GUARD, {"id": application_id}))[
        "application"
    ]
    if app["status"] not in ratings.RATEABLE:
        raise Conflict("The service can be rated once the application is decided.",
                       code="not_decided")  # fmt: skip
    form = await read_form(request)
    score = ratings.parse_score(form.text("score"))
    comment = ratings.parse_comment(form.text("comment"))
    await services.catalogue.ensure_current()
    found = services.catalogue.service_by_id(app["service"])
    await ratings.rate(
        services.engine,
        key=ratings.application_key(services.settings.web.secret_key, app["id"]),
        service=app["service"], institution=found.institution if found else None,
        score=score, comment=comment, now=utcnow(),
    )  # fmt: skip
    return Redirect(f"/applications/{app['id']}?rated=1#service-rating", status_code=303)


ROUTES = [rate_service]
