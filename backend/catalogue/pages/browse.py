"""The catalogue's public pages: services (with filters), a service, institutions and the client
service centres by municipality. Server-rendered; fillers are never shown (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from backend.auth.viewer import Viewer
from backend.catalogue.model import Audience
from backend.catalogue.pages.common import (
    audience_of,
    breadcrumb_list,
    catalogue,
    centres_by_municipality,
    government_service,
    institution_or_404,
    json_ld,
    language,
    linked_services,
    origin_of,
    public_services,
    service_or_404,
    situations_of,
)
from backend.lib.i18n import gettext as _

if TYPE_CHECKING:
    from backend.services import Services


@get("/services", include_in_schema=False)
async def service_list(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    audience: FromQuery[str | None] = None,
    institution: FromQuery[str | None] = None,
) -> Template:
    cat = await catalogue(services)
    chosen_audience = audience_of(audience)
    chosen_institution = cat.institution(institution) if institution else None
    shown = [
        s
        for s in public_services(cat)
        if (chosen_audience is None or chosen_audience in s.audience)
        and (chosen_institution is None or s.institution == chosen_institution.id)
    ]
    crumbs = [("/", _("Home")), ("/services", _("Services"))]
    offering = {s.institution for s in public_services(cat)}
    return Template(
        "pages/catalogue/services.html",
        context={
            "viewer": viewer,
            "lang": language(),
            "crumbs": crumbs,
            "services": shown,
            "audiences": list(Audience),
            "audience": chosen_audience,
            "institutions": sorted(
                (i for i in cat.institutions() if i.id in offering),
                key=lambda i: i.name.in_language(language()),
            ),
            "institution": chosen_institution,
            "institutions_by_id": {i.id: i for i in cat.institutions()},
            "origin": origin_of(services),
            "json_ld": json_ld(breadcrumb_list(origin_of(services), crumbs)),
        },
    )


@get("/services/{slug:str}", include_in_schema=False)
async def service_page(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    slug: FromPath[str],
) -> Template:
    cat = await catalogue(services)
    service = service_or_404(cat, slug)
    institution = cat.institution_by_id(service.institution)
    lang = language()
    path = f"/services/{service.slug}"
    crumbs = [
        ("/", _("Home")),
        ("/services", _("Services")),
        (path, service.title.in_language(lang)),
    ]
    origin = origin_of(services)
    return Template(
        "pages/catalogue/service.html",
        context={
            "viewer": viewer,
            "lang": lang,
            "crumbs": crumbs,
            "service": service,
            "institution": institution,
            "related": linked_services(cat, service.related),
            "situations": situations_of(cat, service.life_situations),
            "centres": [c for c in cat.service_centres() if service.id in c.services],
            # Regulation No. 399 asks for a change history: every published version, newest first.
            "history": await cat.history(service.id),
            "origin": origin_of(services),
            "json_ld": json_ld(
                government_service(origin, service, institution, path),
                breadcrumb_list(origin, crumbs),
            ),
        },
    )


@get("/institutions/{slug:str}", include_in_schema=False)
async def institution_page(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    slug: FromPath[str],
) -> Template:
    cat = await catalogue(services)
    institution = institution_or_404(cat, slug)
    lang = language()
    path = f"/institutions/{institution.slug}"
    crumbs = [
        ("/", _("Home")),
        ("/services", _("Services")),
        (path, institution.name.in_language(lang)),
    ]
    origin = origin_of(services)
    organisation = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": institution.name.in_language(lang),
        "url": institution.website,
        **({"telephone": institution.phone} if institution.phone else {}),
        **({"email": institution.email} if institution.email else {}),
    }
    return Template(
        "pages/catalogue/institution.html",
        context={
            "viewer": viewer,
            "lang": lang,
            "crumbs": crumbs,
            "institution": institution,
            "services": [s for s in public_services(cat) if s.institution == institution.id],
            "origin": origin_of(services),
            "json_ld": json_ld(organisation, breadcrumb_list(origin, crumbs)),
        },
    )


@get("/service-centres", include_in_schema=False)
async def service_centres(
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
) -> Template:
    cat = await catalogue(services)
    crumbs = [("/", _("Home")), ("/service-centres", _("Client service centres"))]
    return Template(
        "pages/catalogue/service_centres.html",
        context={
            "viewer": viewer,
            "lang": language(),
            "crumbs": crumbs,
            "groups": centres_by_municipality(cat.service_centres()),
            "services_by_id": {s.id: s for s in public_services(cat)},
            "origin": origin_of(services),
            "json_ld": json_ld(breadcrumb_list(origin_of(services), crumbs)),
        },
    )


ROUTES = [service_list, service_page, institution_page, service_centres]
