"""Rule texts speak the reader's language: GraphQL the request's (language cookie, then
Accept-Language, then Latvian), a calendar feed its owner's notification language, an .ics
download the viewer's. Every rule msgid has Latvian and Russian."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.extract import extract_from_dir
from icalendar import Calendar

from backend.lib.i18n import translations
from tests.auth_driver import graphql, login_as

ROOT = Path(__file__).resolve().parents[3]
OVERVIEW = """{ obligations {
  obligations { rule title description legalBasis downloadUrl }
  opportunities { rule title explanation eligibleBecause { label value } }
  skipped { rule message } } }"""
CREATE = """mutation { createCalendarFeed {
  __typename ... on CalendarFeedCreated { url } } }"""
LANGUAGE = """mutation($language: String!) { setNotificationLanguage(language: $language) {
  __typename } }"""
SEASONAL = '{ seasonalHighlights(on: "2026-05-05") { id title text } }'

pytestmark = pytest.mark.usefixtures("sandbox_obligations", "idp")

# Kristaps's birthday (the day moves with the personas' clock, the wording must not).
TURNING_18 = {
    "lv": r"Jums apritēs 18 gadi — 2026\. gada \d{1,2}\. decembris",
    "ru": r"Вам исполнится 18 лет \d{1,2} декабря 2026\u202fг\.",
    "en": r"You turn 18 on \d{1,2} December 2026",
}


async def overview(http: httpx.AsyncClient, **headers: str) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": OVERVIEW}, headers=headers)
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["obligations"]
    return result


async def test_the_overview_speaks_the_requests_language(http: httpx.AsyncClient) -> None:
    await login_as(http, "kristaps", "eparaksts")
    for language, title in TURNING_18.items():
        seen = await overview(http, **{"Accept-Language": language})
        (adult,) = seen["opportunities"]
        assert re.fullmatch(title, adult["title"]), (language, adult["title"])
    russian = await overview(http, **{"Accept-Language": "ru"})
    labels = {e["label"] for e in russian["opportunities"][0]["eligibleBecause"]}
    assert labels == {"Дата рождения", "Источник"}
    # No language asked: Latvian.
    assert re.fullmatch(TURNING_18["lv"], (await overview(http))["opportunities"][0]["title"])
    # The language cookie (the switcher's choice) wins over the browser's header.
    http.cookies.set("lang", "ru")
    cookie = await overview(http, **{"Accept-Language": "en"})
    assert re.fullmatch(TURNING_18["ru"], cookie["opportunities"][0]["title"])


async def test_obligations_and_could_not_check_notes_are_translated(
    http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "anna", "eparaksts")
    russian = await overview(http, **{"Accept-Language": "ru"})
    by_rule = {o["rule"]: o for o in russian["obligations"]}
    inspection = by_rule["vehicle.inspection"]
    assert inspection["title"] == "Государственный техосмотр: Toyota Yaris (KA-1234)"
    assert "9 декабря 2026\u202fг." in inspection["description"]
    assert inspection["legalBasis"].startswith("Закон о дорожном движении")
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as pierre:
        await login_as(pierre, "pierre", "eidas")
        notes = {s["rule"]: s["message"] for s in (await overview(pierre))["skipped"]}
    assert notes["vehicles"] == (
        "Nevarējām pārbaudīt jūsu transportlīdzekļus: reģistrs personas atpazīst pēc Latvijas "
        "personas koda."
    )


async def test_seasonal_highlights_are_translated(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"query": SEASONAL}, headers={"Accept-Language": "ru"}
    )
    highlights = {h["id"]: h for h in response.json()["data"]["seasonalHighlights"]}
    spring = highlights["income-declaration-2026"]
    assert spring["title"] == "Сезон деклараций о доходах"
    assert "за 2025 год принимаются до 1 июня 2026\u202fг." in spring["text"]


async def test_the_feed_speaks_its_owners_language_and_a_download_the_viewers(
    http: httpx.AsyncClient,
) -> None:
    await login_as(http, "anna", "eparaksts")
    body = await graphql(http, CREATE)
    path = httpx.URL(body["data"]["createCalendarFeed"]["url"]).path  # type: ignore[index]
    try:
        await graphql(http, LANGUAGE, {"language": "ru"})
        # The calendar app asks in English, without cookies: the owner's choice decides.
        async with httpx.AsyncClient(
            base_url=str(http.base_url), headers={"Accept-Language": "en"}, timeout=10
        ) as calendar_app:
            feed = Calendar.from_ical((await calendar_app.get(path)).content)
    finally:
        await graphql(http, LANGUAGE, {"language": "lv"})
    assert str(feed["x-wr-language"]) == "ru"
    summaries = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    inspection = summaries["Государственный техосмотр: Toyota Yaris (KA-1234)"]
    assert "Правовое основание: Закон о дорожном движении" in str(inspection["description"])
    listed = await overview(http, **{"Accept-Language": "en"})
    url = next(o for o in listed["obligations"] if o["rule"] == "vehicle.inspection")
    download = await http.get(url["downloadUrl"], headers={"Accept-Language": "en"})
    (event,) = Calendar.from_ical(download.content).walk("VEVENT")
    assert str(event["summary"]) == "Technical inspection: Toyota Yaris (KA-1234)"
    assert "Legal basis: Road Traffic Law" in str(event["description"])


async def test_the_offline_snapshot_keeps_titles_in_the_pages_language(
    http: httpx.AsyncClient,
) -> None:
    await login_as(http, "anna", "eparaksts")
    page = await http.get("/", headers={"Accept": "text/html", "Accept-Language": "ru"})
    found = re.search(
        r'<script type="application/json" id="offline-deadlines">(.*?)</script>', page.text
    )
    assert found is not None
    kept = {d["title"]: d for d in json.loads(found.group(1))}
    inspection = kept["Государственный техосмотр: Toyota Yaris (KA-1234)"]
    assert (inspection["due"], inspection["url"]) == ("2026-12-09", "/obligations")


def rule_msgids() -> set[str]:
    found: set[str] = set()
    method_map = [("backend/obligations/**.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, keywords={"N_": None}
    ):
        assert isinstance(message, str)
        found.add(message)
    return found


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_every_rule_text_is_translated(language: str) -> None:
    msgids = rule_msgids()
    assert len(msgids) > 100  # the marker is found: a broken extraction would pass anything
    catalog = translations(language)
    missing = sorted(m for m in msgids if catalog.gettext(m) == m)
    assert not missing, missing
