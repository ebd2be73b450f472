"""The catalogue's public pages over HTTP in lv/en/ru: what a visitor, a search engine and a
site embedding the widget get; 404 for unknown slugs and for generated fillers."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from html import unescape

import httpx
import pytest

from backend.catalogue.files import Catalogue, load_content
from backend.catalogue.filler import filler_life_situations, filler_services
from backend.catalogue.model import ChannelKind
from backend.catalogue.service import CatalogueService, Snapshot
from backend.services import Services
from tests.integration.obligations.conftest import pinned

LANGUAGES = ("lv", "en", "ru")
CONTENT = load_content()
PASSPORT = CONTENT.services["passport"]
DECLARE = CONTENT.services["declare-residence"]
BIRTH = CONTENT.life_situations["child-birth"]
PMLP = CONTENT.institutions["pmlp"]


def html(language: str) -> dict[str, str]:
    return {"accept": "text/html", "accept-language": language}


def text_of(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.text)))


def json_ld(page: httpx.Response) -> list[dict[str, object]]:
    found = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page.text, re.S)
    assert found, "no JSON-LD on the page"
    documents: list[dict[str, object]] = []
    for raw in found:
        value = json.loads(raw)
        documents += value if isinstance(value, list) else [value]
    return documents


PAGES = {
    "services": ("/services", PASSPORT.title.in_language),
    "service": (f"/services/{PASSPORT.slug}", PASSPORT.summary.in_language),
    "situations": ("/life-situations", BIRTH.title.in_language),
    "situation": (
        f"/life-situations/{BIRTH.slug}",
        BIRTH.steps[0].title.in_language,
    ),
    "institution": (f"/institutions/{PMLP.slug}", PMLP.summary.in_language),
    "centres": ("/service-centres", lambda lang: CONTENT.service_centres["cesis"].address),
    "search": ("/search?q=pase", PASSPORT.title.in_language),
    "help": (
        "/help-me-find-it",
        lambda lang: {"lv": "Kam tas ir vajadzīgs?", "en": "Who is it for?", "ru": "Для кого это?"}[
            lang
        ],
    ),
    "home": ("/", BIRTH.title.in_language),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
async def test_every_page_in_every_language(
    http: httpx.AsyncClient, name: str, language: str
) -> None:
    path, expected = PAGES[name]
    page = await http.get(path, headers=html(language))
    assert page.status_code == 200, page.text[:500]
    assert f'<html lang="{language}"' in page.text
    assert expected(language) in text_of(page)
    assert page.headers["content-language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_visitors_home_puts_the_search_box_first(
    http: httpx.AsyncClient, language: str
) -> None:
    page = await http.get("/", headers=html(language))
    body = page.text[page.text.index("<main") :]
    assert body.index('role="search"') < body.index('id="situations-heading"')
    for situation in CONTENT.life_situations.values():
        assert f'href="/life-situations/{situation.slug}"' in body
    for audience in ("residents", "entrepreneurs", "foreigners"):
        assert f'href="/services?audience={audience}"' in body
    assert 'href="/auth/login?next=/"' in body


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_service_page_shows_the_whole_description(
    http: httpx.AsyncClient, language: str
) -> None:
    page = await http.get(f"/services/{DECLARE.slug}", headers=html(language))
    text = text_of(page)
    assert DECLARE.eligibility.in_language(language) in text
    assert DECLARE.duration.in_language(language) in text
    for step in DECLARE.steps:
        assert step.in_language(language) in text
    for ref in DECLARE.legal_basis:
        assert f'href="{ref.url}"' in page.text
    eservices = [c for c in DECLARE.channels if c.kind is ChannelKind.ESERVICE and c.url]
    assert eservices
    for channel in eservices:
        assert f'href="{channel.url}"' in page.text  # the exact e-service, not a portal root
    assert f'href="/institutions/{CONTENT.institutions[DECLARE.institution].slug}"' in page.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_service_page_describes_itself_to_search_engines(
    http: httpx.AsyncClient, language: str
) -> None:
    page = await http.get(f"/services/{PASSPORT.slug}", headers=html(language))
    documents = {d["@type"]: d for d in json_ld(page)}
    service = documents["GovernmentService"]
    assert service["@context"] == "https://schema.org"
    assert service["name"] == PASSPORT.title.in_language(language)
    assert service["provider"]["name"] == PMLP.name.in_language(language)  # type: ignore[index]
    assert service["url"].endswith(f"/services/{PASSPORT.slug}")  # type: ignore[union-attr]
    crumbs = documents["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]  # type: ignore[union-attr,index]
    assert crumbs[-1]["name"] == PASSPORT.title.in_language(language)  # type: ignore[index]
    assert 'aria-current="page"' in page.text
    for lang in LANGUAGES:
        assert re.search(
            rf'hreflang="{lang}" href="https?://[^/"]+/services/{PASSPORT.slug}\?lang={lang}"',
            page.text,
        )


@pytest.mark.parametrize(
    "path",
    [
        "/services/no-such-service",
        "/life-situations/no-such-situation",
        "/institutions/no-such-institution",
        "/embed/services/no-such-service",
        "/embed/life-situations/no-such-situation",
    ],
)
async def test_an_unknown_slug_is_not_found(http: httpx.AsyncClient, path: str) -> None:
    page = await http.get(path, headers=html("lv"))
    assert page.status_code == 404
    assert "Lapa nav atrasta" in page.text


@pytest.fixture
async def with_fillers(services: Services) -> AsyncIterator[Catalogue]:
    """The published catalogue plus a few generated fillers (as at the portal's scale)."""
    catalogue = load_content()
    for filler in filler_services(3):
        catalogue.services[filler.id] = filler
    for situation in filler_life_situations(2):
        catalogue.life_situations[situation.id] = situation
    original = services.catalogue
    services.catalogue = CatalogueService(Snapshot.of(catalogue))
    try:
        yield catalogue
    finally:
        services.catalogue = original


async def test_fillers_are_never_shown(http: httpx.AsyncClient, with_fillers: Catalogue) -> None:
    fillers = [s for s in with_fillers.services.values() if s.filler]
    situations = [s for s in with_fillers.life_situations.values() if s.filler]
    for service in fillers:
        assert (await http.get(f"/services/{service.slug}", headers=html("lv"))).status_code == 404
        assert (await http.get(f"/embed/services/{service.slug}")).status_code == 404
    for situation in situations:
        path = f"/life-situations/{situation.slug}"
        assert (await http.get(path, headers=html("lv"))).status_code == 404
    listing = (await http.get("/services", headers=html("lv"))).text
    sitemap = (await http.get("/sitemap.xml")).text
    searched = await http.get("/search", params={"q": fillers[0].title.lv}, headers=html("lv"))
    for service in fillers:
        assert service.slug not in listing
        assert service.slug not in sitemap
        assert service.slug not in searched.text
    home = (await http.get("/", headers=html("lv"))).text
    assert all(s.slug not in home for s in situations)


async def test_services_filter_by_audience_and_institution(http: httpx.AsyncClient) -> None:
    page = await http.get("/services?audience=entrepreneurs", headers=html("en"))
    assert 'href="/services/gada-parskats"' in page.text
    assert f'href="/services/{PASSPORT.slug}"' not in page.text
    page = await http.get(f"/services?institution={PMLP.slug}", headers=html("en"))
    assert f'href="/services/{PASSPORT.slug}"' in page.text
    assert 'href="/services/gada-parskats"' not in page.text
    # An unknown filter value filters nothing rather than failing.
    page = await http.get("/services?audience=martians", headers=html("en"))
    assert page.status_code == 200
    assert 'href="/services/gada-parskats"' in page.text


async def test_service_centres_are_grouped_by_municipality(http: httpx.AsyncClient) -> None:
    page = await http.get("/service-centres", headers=html("lv"))
    text = text_of(page)
    for centre in CONTENT.service_centres.values():
        assert centre.municipality.lv in text
        assert centre.name.lv in text


async def test_a_life_situation_counts_deadlines_from_the_date_given(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get(f"/life-situations/{BIRTH.slug}?event=2026-11-06", headers=html("en"))
    assert page.status_code == 200
    # Registering the birth: within a month → 6 December 2026 is a Sunday → Monday 7 December.
    assert '<time datetime="2026-12-07">' in page.text
    text = text_of(page)
    assert "The state does this" in text  # the automatic entry in the register
    assert "Only if:" in text  # conditional steps say when they apply
    assert "Your progress" not in text  # a visitor has none


async def test_a_wrong_date_is_a_clear_error(http: httpx.AsyncClient) -> None:
    page = await http.get(f"/life-situations/{BIRTH.slug}?event=2026-13-45", headers=html("lv"))
    assert page.status_code == 400
    assert 'aria-invalid="true"' in page.text
    assert "Ievadiet" in text_of(page)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_search_marks_the_matching_words(http: httpx.AsyncClient, language: str) -> None:
    # Latvian in another case, English and Russian: each finds the passport in its language.
    query = {"lv": "pasi", "en": "passports", "ru": "паспорта"}[language]
    page = await http.get("/search", params={"q": query}, headers=html(language))
    assert page.status_code == 200
    assert f'href="/services/{PASSPORT.slug}"' in page.text
    assert re.search(r"<mark>[^<]+</mark>", page.text)


async def test_search_without_a_query_and_with_too_long_a_query(http: httpx.AsyncClient) -> None:
    empty = await http.get("/search", headers=html("en"))
    assert empty.status_code == 200
    assert "<mark>" not in empty.text
    long = await http.get("/search", params={"q": "a" * 201}, headers=html("en"))
    assert long.status_code == 400


async def test_search_escapes_what_was_typed(http: httpx.AsyncClient) -> None:
    page = await http.get("/search", params={"q": "<script>pase</script>"}, headers=html("en"))
    assert page.status_code == 200
    assert "<script>pase" not in page.text


async def test_help_me_find_it_narrows_to_a_life_situation(http: httpx.AsyncClient) -> None:
    first = await http.get("/help-me-find-it", headers=html("lv"))
    assert 'name="who" value="family"' in first.text
    second = await http.get("/help-me-find-it?who=family", headers=html("lv"))
    assert 'name="what" value="death-of-relative"' in second.text
    assert CONTENT.life_situations["death-of-relative"].title.lv in text_of(second)
    third = await http.get("/help-me-find-it?who=family&what=death-of-relative", headers=html("lv"))
    assert 'name="when" value="happened"' in third.text
    answer = await http.get(
        "/help-me-find-it?who=family&what=death-of-relative&when=happened", headers=html("lv")
    )
    slug = CONTENT.life_situations["death-of-relative"].slug
    assert f'href="/life-situations/{slug}"' in answer.text


async def test_help_me_find_it_can_end_in_services(http: httpx.AsyncClient) -> None:
    answer = await http.get("/help-me-find-it?who=business&what=taxes", headers=html("en"))
    assert answer.status_code == 200
    assert 'href="/services/gada-parskats"' in answer.text


@pytest.mark.parametrize(
    "query",
    ["who=aliens", "who=me&what=flying", "what=child-birth", "who=me&what=child-birth&when=never"],
)
async def test_help_me_find_it_refuses_answers_not_offered(
    http: httpx.AsyncClient, query: str
) -> None:
    page = await http.get(f"/help-me-find-it?{query}", headers=html("en"))
    assert page.status_code == 400


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_widget_may_be_framed_anywhere_in_the_host_language(
    http: httpx.AsyncClient, language: str
) -> None:
    page = await http.get(f"/embed/services/{PASSPORT.slug}?lang={language}")
    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.text
    assert PASSPORT.title.in_language(language) in page.text
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    assert "x-frame-options" not in page.headers
    assert "set-cookie" not in page.headers  # cached publicly: nothing personal
    situation = await http.get(f"/embed/life-situations/{BIRTH.slug}?lang={language}")
    assert BIRTH.steps[0].title.in_language(language) in situation.text
    assert "frame-ancestors *" in situation.headers["content-security-policy"]


async def test_other_pages_may_not_be_framed(http: httpx.AsyncClient) -> None:
    page = await http.get(f"/services/{PASSPORT.slug}", headers=html("lv"))
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


async def test_the_sitemap_lists_every_public_page_in_three_languages(
    http: httpx.AsyncClient, services: Services
) -> None:
    answer = await http.get("/sitemap.xml")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(answer.content)  # noqa: S314 - our own answer, not untrusted input
    locations = [loc.text or "" for loc in root.findall("s:url/s:loc", ns)]
    for lang in LANGUAGES:
        assert any(loc.endswith(f"/services/{PASSPORT.slug}?lang={lang}") for loc in locations)
    first = root.find("s:url", ns)
    assert first is not None
    hreflangs = {link.get("hreflang") for link in first.findall("x:link", ns)}
    assert hreflangs == {"lv", "en", "ru", "x-default"}
    # Every published entry (the files, and what institutions published in other tests), no filler.
    published = services.catalogue
    await published.ensure_current()
    assert len(locations) == 3 * (
        6
        + len(published.services())
        + len(published.life_situations())
        + len(published.institutions())
    )
    assert len(published.services()) >= len(CONTENT.services)


async def test_robots_open_the_catalogue_and_close_the_workspace(http: httpx.AsyncClient) -> None:
    answer = await http.get("/robots.txt")
    assert answer.status_code == 200
    lines = answer.text.splitlines()
    assert "Disallow: /mail" in lines
    assert "Disallow: /api/" in lines
    assert not any(line.startswith("Disallow: /services") for line in lines)
    assert any(line.startswith("Sitemap: http") and line.endswith("/sitemap.xml") for line in lines)


@pytest.fixture
async def in_march(services: Services) -> AsyncIterator[None]:
    """The app's "today" pinned to 20 March 2027: income declarations open, and the first
    real-estate tax instalment (31 March) is near."""
    original = services.obligations
    services.obligations = pinned(services, datetime(2027, 3, 20, 10, 0, tzinfo=UTC))
    try:
        yield
    finally:
        services.obligations = original


SEASON = {
    "lv": ("Gada ienākumu deklarāciju laiks", "Nekustamā īpašuma nodokļa maksājums"),
    "en": ("Income declaration season", "Real-estate tax instalment"),
    "ru": ("Сезон деклараций о доходах", "Платёж налога на недвижимость"),
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_visitors_home_shows_this_seasons_notes(
    http: httpx.AsyncClient, in_march: None, language: str
) -> None:
    """The same block the dashboard shows signed-in people, through the same GraphQL field."""
    page = await http.get("/", headers=html(language))
    start = page.text.index('aria-labelledby="season-heading"')
    season = text_of(
        httpx.Response(200, text=page.text[start : page.text.index("</section>", start)])
    )
    for title in SEASON[language]:
        assert title in season


@pytest.mark.parametrize(
    "path",
    [
        "/services",
        f"/services/{DECLARE.slug}",
        "/life-situations",
        f"/life-situations/{BIRTH.slug}",
        f"/institutions/{PMLP.slug}",
        "/service-centres",
    ],
)
async def test_structured_data_is_valid_schema_org(http: httpx.AsyncClient, path: str) -> None:
    page = await http.get(path, headers=html("ru"))
    documents = json_ld(page)
    for document in documents:
        assert document["@context"] == "https://schema.org"
        assert isinstance(document["@type"], str)
    crumbs = next(d for d in documents if d["@type"] == "BreadcrumbList")["itemListElement"]
    assert isinstance(crumbs, list)
    assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
    assert all(c["@type"] == "ListItem" and c["name"] for c in crumbs)
    assert all(re.fullmatch(r"https?://[^/]+/.*", c["item"]) for c in crumbs)
    assert crumbs[-1]["item"].endswith(path)
    if path == f"/institutions/{PMLP.slug}":
        organisation = next(d for d in documents if d["@type"] == "GovernmentOrganization")
        assert organisation["url"] == PMLP.website
