"""The dashboard's entry points for GraphQL, pages and jobs.

- `person_facts(dashboard, viewer_or_person, purpose=…)` and `company_facts(dashboard, number,
  purpose=…)` give the obligation rules and jobs what the registries say (`facts.py`), with the
  same cache, budgets, consent and data-access log as the dashboard. Given a `Viewer` the read
  is on the viewer's own behalf (or, for a company, as representative or delegate, checked
  here); given a bare `PersonRecord`, or no viewer, it is a system job's.
- `loader_for(dashboard, memo)` is the per-request loader GraphQL resolvers share.
- `may_view_company` / `may_see_access_log` are the authorization rules for company subjects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from backend.auth.people import PersonRecord
from backend.auth.subjects import Basis, Scope, SubjectAccess, company_key, subjects_for
from backend.dashboard.facts import CompanyFacts, Fact, PersonFacts, SourceStatus
from backend.dashboard.loader import SourceLoader, SourceResult
from backend.dashboard.subjects import BASIS_TO_BEHALF, Actor, OnBehalf, Subject
from backend.lib.errors import BadInput, Forbidden
from backend.lib.identifiers import birth_date_from_personal_code, is_company_number
from backend.lib.ratelimit import Limit, enforce

if TYPE_CHECKING:
    from backend.auth.viewer import Viewer
    from backend.dashboard.facade import Dashboard

LOADER_KEY = "dashboard.loader"
USABLE = (SourceStatus.OK, SourceStatus.STALE)


def loader_for(
    dashboard: Dashboard,
    memo: dict[str, Any] | None = None,
    *,
    force: bool = False,
    today: date | None = None,
) -> SourceLoader:
    """The request's loader (kept in `memo`, e.g. `Context.per_request`); a forced one replaces
    a plain one, so a refresh asks the registries even if something was read from cache.
    `today` (default: today in Riga) picks the tax year asked for."""
    if memo is None:
        return SourceLoader(dashboard, force=force, today=today)
    loader = memo.get(LOADER_KEY)
    if not isinstance(loader, SourceLoader) or (force and not loader.force):
        loader = SourceLoader(dashboard, force=force, today=today)
        memo[LOADER_KEY] = loader
    return loader


@dataclass(frozen=True)
class DashboardScope:
    viewer: Viewer
    access: SubjectAccess
    subject: Subject

    def actor(self, loader: SourceLoader) -> Actor:
        purpose = "dashboard_refresh" if loader.force else "dashboard"
        return Actor(BASIS_TO_BEHALF[self.access.basis], purpose, self.viewer.person.id)


def may_view_company(access: SubjectAccess | None) -> bool:
    """A company's dashboard is for whoever may see its obligations or its mail."""
    return access is not None and (
        access.allows(Scope.OBLIGATIONS) or access.allows(Scope.VIEW_MAIL)
    )


def may_see_access_log(access: SubjectAccess | None) -> bool:
    """Who read a company's data is for its officers and those who manage its delegations."""
    if access is None:
        return False
    return access.basis in (Basis.SELF, Basis.SOLE, Basis.JOINT) or access.allows(
        Scope.MANAGE_DELEGATIONS
    )


def fact(result: SourceResult, part: str) -> Fact[Any]:
    value = result.part(part) if result.status in USABLE else None
    return Fact(value, result.status, result.as_of, result.reason)


def build_person_facts(person: PersonRecord, results: dict[str, SourceResult]) -> PersonFacts:
    code = person.personal_code
    pr, csdd, srs = results["population_register"], results["csdd"], results["srs"]
    return PersonFacts(
        personal_code=code,
        birth_date=(birth_date_from_personal_code(code) if code else None) or person.birth_date,
        declared_address=fact(pr, "declared_address"),
        declared_at_my_properties=fact(pr, "declared_at_my_properties"),
        identity_documents=fact(pr, "identity_documents"),
        children=fact(pr, "children"),
        pension=fact(results["ssia"], "pension"),
        family_doctor=fact(results["nhs"], "family_doctor"),
        vehicles=fact(csdd, "vehicles"),
        driving_licence=fact(csdd, "driving_licence"),
        properties=fact(results["land_service"], "properties"),
        tax_account=fact(srs, "tax_account"),
        real_estate_tax=fact(results["municipalities"], "real_estate_tax"),
        income_declaration=fact(srs, "income_declaration"),
        companies=fact(results["enterprise_register"], "companies"),
    )


async def person_facts(
    dashboard: Dashboard,
    who: Viewer | PersonRecord,
    *,
    purpose: str,
    memo: dict[str, Any] | None = None,
    force: bool = False,
    today: date | None = None,
) -> PersonFacts:
    """What the registries say about a person. A `Viewer` reads their own data (logged as
    self); a `PersonRecord` is read by a system job (logged as system, `purpose` naming it)."""
    if isinstance(who, PersonRecord):
        person, actor = who, Actor.job(purpose)
    else:
        person, actor = who.person, Actor(OnBehalf.SELF, purpose, who.person.id)
    results = await loader_for(dashboard, memo, force=force, today=today).load_all(
        Subject.of_person(person), actor
    )
    return build_person_facts(person, results)


async def company_actor(dashboard: Dashboard, viewer: Viewer, number: str, purpose: str) -> Actor:
    """The viewer as the company's representative or delegate; Forbidden if neither."""
    access = (await subjects_for(viewer.person, dashboard.representations)).get(company_key(number))
    if access is None or not may_view_company(access):
        raise Forbidden("You may not see that company's data.")
    return Actor(BASIS_TO_BEHALF[access.basis], purpose, viewer.person.id)


async def company_facts(
    dashboard: Dashboard,
    registration_number: str,
    *,
    purpose: str,
    viewer: Viewer | None = None,
    actor: Actor | None = None,
    memo: dict[str, Any] | None = None,
    force: bool = False,
    today: date | None = None,
) -> CompanyFacts:
    """What the registries say about a company. With a `viewer`, their right to it is checked
    (`Forbidden` otherwise); with neither viewer nor `actor`, a system job reads it."""
    number = registration_number.strip()
    if not is_company_number(number):
        raise BadInput("A company registration number has 11 digits.", code="invalid_company")
    if actor is None:
        actor = (
            await company_actor(dashboard, viewer, number, purpose)
            if viewer is not None
            else Actor.job(purpose)
        )
    results = await loader_for(dashboard, memo, force=force, today=today).load_all(
        Subject.of_company(number), actor
    )
    return CompanyFacts(
        registration_number=number,
        company=fact(results["enterprise_register"], "company"),
        tax_status=fact(results["srs"], "tax_status"),
    )


async def enforce_refresh_limit(dashboard: Dashboard, person: PersonRecord) -> None:
    """Raise RateLimited once the person has refreshed too often in the window."""
    settings = dashboard.settings
    limit = Limit("dashboard-refresh", settings.refresh_limit, settings.refresh_window_s)
    await enforce(dashboard.stores.counters, limit, str(person.id))
