"""What the catalogue's pages share: reading published entries (never fillers), breadcrumbs,
schema.org JSON-LD and search highlights as HTML."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from backend.catalogue.model import (
    Audience,
    Institution,
    LifeSituation,
    Service,
    ServiceCentre,
)
from backend.catalogue.search.snippets import Marked
from backend.catalogue.service import CatalogueService
from backend.lib.errors import NotFound
from backend.lib.i18n import LANGUAGES, current_language

if TYPE_CHECKING:
    from backend.services import Services

Crumb = tuple[str, str]  # (path, label)


def language() -> str:
    return current_language.get()


async def catalogue(services: Services) -> CatalogueService:
    """The façade, current for this request (the one hook before any read)."""
    await services.catalogue.ensure_current()
    return services.catalogue


def public_services(cat: CatalogueService) -> list[Service]:
    return sorted(
        (s for s in cat.services() if not s.filler), key=lambda s: s.title.in_language(language())
    )


def public_situations(cat: CatalogueService) -> list[LifeSituation]:
    return sorted(
        (s for s in cat.life_situations() if not s.filler),
        key=lambda s: s.title.in_language(language()),
    )


def service_or_404(cat: CatalogueService, slug: str) -> Service:
    found = cat.service(slug)
    if found is None or found.filler:
        raise NotFound("There is no such service.")
    return found


def situation_or_404(cat: CatalogueService, slug: str) -> LifeSituation:
    found = cat.life_situation(slug)
    if found is None or found.filler:
        raise NotFound("There is no such life situation.")
    return found


def institution_or_404(cat: CatalogueService, slug: str) -> Institution:
    found = cat.institution(slug)
    if found is None:
        raise NotFound("There is no such institution.")
    return found


def linked_services(cat: CatalogueService, ids: Iterable[str]) -> list[Service]:
    """The published services among `ids`, in their order (a filler or unknown id is left out)."""
    found = (cat.service_by_id(i) for i in ids)
    return [s for s in found if s is not None and not s.filler]


def situations_of(cat: CatalogueService, ids: Iterable[str]) -> list[LifeSituation]:
    wanted = set(ids)
    return [s for s in public_situations(cat) if s.id in wanted]


def centres_by_municipality(
    centres: Iterable[ServiceCentre],
) -> list[tuple[str, list[ServiceCentre]]]:
    lang = language()
    groups: dict[str, list[ServiceCentre]] = {}
    for centre in centres:
        groups.setdefault(centre.municipality.in_language(lang), []).append(centre)
    return [
        (name, sorted(group, key=lambda c: c.name.in_language(lang)))
        for name, group in sorted(groups.items())
    ]


def marked(text: Marked) -> Markup:
    """The text escaped, with its matched words in `<mark>`."""
    parts: list[Markup] = []
    at = 0
    for start, end in text.highlights:
        if start < at:
            continue
        parts.append(escape(text.text[at:start]))
        parts.append(Markup("<mark>{}</mark>").format(text.text[start:end]))
        at = end
    parts.append(escape(text.text[at:]))
    return Markup("").join(parts)


def json_ld(*documents: Mapping[str, Any]) -> str:
    """schema.org documents for a `<script type="application/ld+json">` (`<` escaped so the
    text cannot close the element; the template marks it safe)."""
    body = [dict(d) for d in documents]
    text = json.dumps(body if len(body) > 1 else body[0], ensure_ascii=False, indent=None)
    return text.replace("<", "\\u003c")


def breadcrumb_list(origin: str, crumbs: list[Crumb]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": label, "item": origin + path}
            for n, (path, label) in enumerate(crumbs, start=1)
        ],
    }


def government_service(
    origin: str, service: Service, institution: Institution | None, path: str
) -> dict[str, Any]:
    lang = language()
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": service.title.in_language(lang),
        "description": service.summary.in_language(lang),
        "url": origin + path,
        "inLanguage": lang,
        "areaServed": {"@type": "Country", "name": "Latvia"},
        "audience": [
            {"@type": "Audience", "audienceType": audience.value} for audience in service.audience
        ],
        "availableChannel": [
            {
                "@type": "ServiceChannel",
                "name": channel.kind.value,
                **({"serviceUrl": channel.url} if channel.url else {}),
            }
            for channel in service.channels
        ],
    }
    if institution is not None:
        document["provider"] = {
            "@type": "GovernmentOrganization",
            "name": institution.name.in_language(lang),
            "url": institution.website,
        }
    return document


def origin_of(services: Services) -> str:
    return services.settings.web.public_url.rstrip("/")


def audience_of(raw: str | None) -> Audience | None:
    """A filter value from the query string; an unknown one filters nothing."""
    try:
        return Audience(raw) if raw else None
    except ValueError:
        return None


ALTERNATE_LANGUAGES = LANGUAGES
