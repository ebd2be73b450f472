"""Life situations: the list, and one situation with its steps, conditional steps, what the
state does by itself and deadlines counted from the event.

For a signed-in person the page also shows their own progress (`backend/catalogue/progress.py`):
which steps the registries already show as done, which are due and by when, with links into the
workspace. The event's date comes from the registries where they show it (a child's birth, the
18th birthday) or from the date the person gives in the page's GET form.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from backend.auth.viewer import Viewer
from backend.catalogue.model import LifeSituation
from backend.catalogue.pages.common import (
    breadcrumb_list,
    catalogue,
    json_ld,
    language,
    linked_services,
    origin_of,
    public_situations,
    situation_or_404,
)
from backend.catalogue.progress import Evidence, PersonalFacts, progress, registry_event
from backend.lib.i18n import gettext as _
from backend.web.gql import lenient_query

if TYPE_CHECKING:
    from backend.services import Services

EARLIEST_EVENT = date(1900, 1, 1)
LATEST_EVENT = date(2100, 12, 31)

FACTS = """
query SituationFacts($self: ID) { me {
  subjects { basis }
  dashboard(subjectId: $self) { __typename
    ... on PersonDashboard {
      declaredAddress { declaredSince }
      children { name birthDate }
      declaredAtMyProperties { name declaredOn }
      familyDoctor { registeredSince }
      vehicles { plate }
    }
  }
} }"""


@get("/life-situations", include_in_schema=False)
async def situation_list(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Template:
    cat = await catalogue(services)
    crumbs = [("/", _("Home")), ("/life-situations", _("Life situations"))]
    return Template(
        "pages/catalogue/life_situations.html",
        context={
            "viewer": viewer,
            "lang": language(),
            "crumbs": crumbs,
            "situations": public_situations(cat),
            "origin": origin_of(services),
            "json_ld": json_ld(breadcrumb_list(origin_of(services), crumbs)),
        },
    )


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def facts_from(answer: dict[str, Any] | None, birth_date: date | None) -> PersonalFacts | None:
    """The person's registry facts from the dashboard's answer (None: no person dashboard)."""
    me = (answer or {}).get("me") or {}
    dashboard = me.get("dashboard") or {}
    if dashboard.get("__typename") != "PersonDashboard":
        return None
    evidence: dict[str, Evidence] = {}
    if address := dashboard.get("declaredAddress"):
        evidence["residence-declared"] = Evidence(_day(address["declaredSince"]))
    children = dashboard.get("children") or []
    born = tuple(d for d in (_day(c["birthDate"]) for c in children) if d is not None)
    if born:
        youngest = max(children, key=lambda c: c["birthDate"])
        evidence["birth-registered"] = Evidence(max(born))
        declared = dashboard.get("declaredAtMyProperties") or []
        for person in declared:
            if person["name"] == youngest["name"]:
                evidence["child-residence-declared"] = Evidence(_day(person["declaredOn"]))
    if doctor := dashboard.get("familyDoctor"):
        evidence["family-doctor-registered"] = Evidence(_day(doctor["registeredSince"]))
    if dashboard.get("vehicles"):
        evidence["vehicle-registered-to-me"] = Evidence()
    if any(s["basis"] != "SELF" for s in me.get("subjects") or []):
        evidence["company-registered"] = Evidence()
    return PersonalFacts(birth_date=birth_date, children_born=born, evidence=evidence)


def _event_given(raw: str | None) -> tuple[date | None, bool]:
    """The date from the form, and whether what was given is invalid."""
    if not raw:
        return None, False
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, True
    if not EARLIEST_EVENT <= day <= LATEST_EVENT:
        return None, True
    return day, False


@get("/life-situations/{slug:str}", include_in_schema=False)
async def situation_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    slug: FromPath[str],
    event: FromQuery[str | None] = None,
) -> Template:
    cat = await catalogue(services)
    situation: LifeSituation = situation_or_404(cat, slug)
    lang = language()
    today = services.obligations.today()
    given, invalid = _event_given(event)
    facts: PersonalFacts | None = None
    if viewer is not None:
        answer = await lenient_query(
            request, services, viewer, FACTS, {"self": viewer.person.subject_key}
        )
        facts = facts_from(answer, viewer.person.birth_date)
    from_registry = registry_event(situation.id, facts, today) if facts else None
    event_day = given or from_registry
    path = f"/life-situations/{situation.slug}"
    crumbs = [
        ("/", _("Home")),
        ("/life-situations", _("Life situations")),
        (path, situation.title.in_language(lang)),
    ]
    step_services = {
        s.id: s for s in linked_services(cat, [st.service for st in situation.steps if st.service])
    }
    return Template(
        "pages/catalogue/life_situation.html",
        context={
            "viewer": viewer,
            "lang": lang,
            "crumbs": crumbs,
            "situation": situation,
            "step_services": step_services,
            "institutions": [
                i for i in (cat.institution_by_id(x) for x in situation.institutions) if i
            ],
            "progress": progress(situation, event_day, facts, today),
            "personal": facts is not None,
            "event_from_registry": given is None and from_registry is not None,
            "event_value": event if invalid else (event_day.isoformat() if event_day else ""),
            "event_invalid": invalid,
            "today": today,
            "origin": origin_of(services),
            "json_ld": json_ld(breadcrumb_list(origin_of(services), crumbs)),
        },
        status_code=400 if invalid else 200,
    )


ROUTES = [situation_list, situation_page]
