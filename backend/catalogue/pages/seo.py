"""`/sitemap.xml` (every public page in lv/en/ru, with hreflang alternates) and `/robots.txt`
(the public catalogue open to crawlers, the personal workspace and the APIs closed)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from litestar import Response, get
from litestar.di import NamedDependency

from backend.catalogue.pages.common import (
    ALTERNATE_LANGUAGES,
    catalogue,
    origin_of,
    public_services,
    public_situations,
)

if TYPE_CHECKING:
    from backend.services import Services

PRIVATE = (
    "/account",
    "/api/",
    "/auth/",
    "/company",
    "/dashboard/",
    "/embed/",
    "/graphql",
    "/language/",
    "/mail",
    "/notifications",
    "/obligations",
    "/privacy",
    "/settings/",
)


def _entry(origin: str, path: str, lastmod: str | None) -> str:
    """One `<url>` per language version, each naming all versions (Google's hreflang rules)."""
    versions = [(lang, f"{origin}{path}?lang={lang}") for lang in ALTERNATE_LANGUAGES]
    versions.append(("x-default", origin + path))
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(url)}/>'
        for lang, url in versions
    )
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return "".join(
        f"<url><loc>{origin}{path}?lang={lang}</loc>{modified}{links}</url>"
        for lang in ALTERNATE_LANGUAGES
    )


@get("/sitemap.xml", include_in_schema=False, media_type="application/xml")
async def sitemap(services: NamedDependency[Services]) -> Response[str]:
    cat = await catalogue(services)
    origin = origin_of(services)
    pages: list[tuple[str, str | None]] = [
        ("/", None),
        ("/services", None),
        ("/life-situations", None),
        ("/service-centres", None),
        ("/search", None),
        ("/help-me-find-it", None),
    ]
    pages += [(f"/services/{s.slug}", s.reviewed.isoformat()) for s in public_services(cat)]
    pages += [
        (f"/life-situations/{s.slug}", s.reviewed.isoformat()) for s in public_situations(cat)
    ]
    pages += [(f"/institutions/{i.slug}", i.reviewed.isoformat()) for i in cat.institutions()]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        + "".join(_entry(origin, path, lastmod) for path, lastmod in pages)
        + "</urlset>"
    )
    return Response(body, media_type="application/xml", headers={"Cache-Control": "max-age=3600"})


@get("/robots.txt", include_in_schema=False, media_type="text/plain")
async def robots(services: NamedDependency[Services]) -> Response[str]:
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in PRIVATE)]
    lines.append(f"Sitemap: {origin_of(services)}/sitemap.xml")
    return Response(
        "\n".join(lines) + "\n", media_type="text/plain", headers={"Cache-Control": "max-age=3600"}
    )


ROUTES = [sitemap, robots]
