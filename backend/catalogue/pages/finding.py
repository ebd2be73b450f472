"""Finding what you need: the search page (matches in `<mark>`, no JavaScript needed) and
"Help me find it", a short guided GET-only question flow (who is it for, what happened, when)
that narrows to a life situation or a service for people who cannot yet name their need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from backend.auth.viewer import Viewer
from backend.catalogue.pages.common import (
    catalogue,
    language,
    linked_services,
    marked,
    situations_of,
)
from backend.lib.errors import BadInput
from backend.lib.i18n import gettext as _

if TYPE_CHECKING:
    from backend.services import Services

MAX_QUERY = 200
RESULTS = 20


@dataclass(frozen=True, slots=True)
class Need:
    """One answer to "what happened": a life situation, or services when none fits."""

    situation: str | None = None
    services: tuple[str, ...] = ()


# Who it is for → what may have happened (life situation ids, in the order they are offered).
PATHS: Final[dict[str, dict[str, Need]]] = {
    "me": {
        "child-birth": Need("child-birth"),
        "moving-home": Need("moving-home"),
        "getting-married": Need("getting-married"),
        "turning-18": Need("turning-18"),
        "losing-job": Need("losing-job"),
        "retiring": Need("retiring"),
        "buying-vehicle": Need("buying-vehicle"),
        "buying-real-estate": Need("buying-real-estate"),
        "documents": Need(None, ("passport", "eid-card", "driving-licence-exchange")),
        "taxes": Need(None, ("income-declaration", "eligible-expenses-refund")),
    },
    "family": {
        "child-birth": Need("child-birth"),
        "death-of-relative": Need("death-of-relative"),
        "getting-married": Need("getting-married"),
        "turning-18": Need("turning-18"),
        "retiring": Need("retiring"),
    },
    "business": {
        "starting-business": Need("starting-business"),
        "closing-business": Need("closing-business"),
        "staff": Need(None, ("employer-monthly-report",)),
        "taxes": Need(None, ("vat-registration", "micro-enterprise-tax", "annual-report")),
    },
    "foreigner": {
        "moving-to-latvia": Need("moving-to-latvia"),
        "documents": Need(
            None, ("residence-permit", "declare-residence", "driving-licence-exchange")
        ),
    },
}
WHEN: Final = ("happened", "soon")


@get("/search", include_in_schema=False)
async def search_page(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    q: FromQuery[str | None] = None,
) -> Template:
    query = (q or "").strip()
    if len(query) > MAX_QUERY:
        raise BadInput(f"The search text may be at most {MAX_QUERY} characters long.")
    cat = await catalogue(services)
    results: list[dict[str, Any]] = []
    if query:
        for hit in cat.search(query, language(), RESULTS):
            entry = (
                cat.service_by_id(hit.id) if hit.kind == "service" else cat.life_situation(hit.slug)
            )
            if entry is None or entry.filler:
                continue
            results.append(
                {
                    "kind": hit.kind,
                    "url": hit.url,
                    "title": marked(hit.title),
                    "snippet": marked(hit.snippet),
                }
            )
    return Template(
        "pages/catalogue/search.html",
        context={
            "viewer": viewer,
            "lang": language(),
            "crumbs": [("/", _("Home")), ("/search", _("Search"))],
            "query": query,
            "results": results,
        },
    )


@get("/help-me-find-it", include_in_schema=False)
async def help_me_find_it(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    who: FromQuery[str | None] = None,
    what: FromQuery[str | None] = None,
    when: FromQuery[str | None] = None,
) -> Template:
    if who is not None and who not in PATHS:
        raise BadInput("Choose who it is for from the list.")
    needs = PATHS.get(who or "", {})
    if what is not None and (who is None or what not in needs):
        raise BadInput("Choose what happened from the list.")
    if when is not None and (what is None or when not in WHEN):
        raise BadInput("Choose when it happens from the list.")
    cat = await catalogue(services)
    need = needs.get(what or "")
    step = 1 if who is None else 2 if what is None else 3
    situation = None
    if need is not None and need.situation:
        found = situations_of(cat, [need.situation])
        situation = found[0] if found else None
    # The last question only matters where there is an event to count deadlines from.
    if step == 3 and (situation is None or when is not None):
        step = 4
    by_id = {s.id: s for s in cat.life_situations() if not s.filler}
    return Template(
        "pages/catalogue/help.html",
        context={
            "viewer": viewer,
            "lang": language(),
            "crumbs": [("/", _("Home")), ("/help-me-find-it", _("Help me find it"))],
            "step": step,
            "who": who,
            "what": what,
            "when": when,
            "choices": [(key, by_id.get(n.situation or "")) for key, n in needs.items()],
            "situation": situation,
            "services": linked_services(cat, need.services) if need else [],
        },
    )


ROUTES = [search_page, help_me_find_it]
