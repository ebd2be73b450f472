"""Private iCalendar feeds and single-obligation downloads, parsed back with `icalendar`."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from icalendar import Calendar

from backend.obligations.service import Obligations
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import graphql, login_as

OZOLS = f"company:{OZOLS_TECH.registration_number}"
CREATE = """mutation($subject: ID) { createCalendarFeed(subjectId: $subject) {
  __typename
  ... on CalendarFeedCreated { url feed { subjectId createdAt } }
  ... on ForbiddenError { code }
  ... on StepUpRequired { requiredLevel }
} }"""
REVOKE = """mutation($subject: ID) { revokeCalendarFeed(subjectId: $subject) {
  __typename ... on CalendarFeedRevoked { subjectId } ... on NotFoundError { code }
} }"""
FEEDS = "{ calendarFeeds { subjectId createdAt } }"
LIST = "{ obligations { subject { id } obligations { id rule title downloadUrl } } }"

pytestmark = pytest.mark.usefixtures("sandbox_obligations", "idp")


async def new_feed(http: httpx.AsyncClient, subject: str | None = None) -> str:
    body = await graphql(http, CREATE, {"subject": subject})
    created = body["data"]["createCalendarFeed"]  # type: ignore[index]
    assert created["__typename"] == "CalendarFeedCreated", body
    url: str = created["url"]
    return urlsplit(url).path


def events(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


async def test_the_feed_parses_back_with_stable_uids_and_alarms(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna", "eparaksts")
    path = await new_feed(http)
    assert path.startswith("/calendar/")
    assert path.endswith(".ics")
    first = await http.get(path)
    async with httpx.AsyncClient(base_url=str(http.base_url), timeout=10) as calendar_app:
        second = await calendar_app.get(path)  # no cookies: the URL alone opens it
    assert first.status_code == second.status_code == 200
    # One charset parameter: calendar apps choke on "…; charset=utf-8; charset=utf-8".
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "no-store" in first.headers["cache-control"]
    calendar = Calendar.from_ical(first.content)
    assert (str(calendar["version"]), str(calendar["x-published-ttl"])) == ("2.0", "PT12H")
    one, two = events(first.content), events(second.content)
    assert set(one) == set(two)
    listed = (await graphql(http, LIST))["data"]["obligations"]["obligations"]  # type: ignore[index]
    host = urlsplit(str(http.base_url)).hostname
    assert set(one) == {f"{o['id']}@{host}" for o in listed}
    by_summary = {str(e["summary"]): e for e in one.values()}
    # No language preference: the feed speaks Latvian.
    inspection = by_summary["Valsts tehniskā apskate: Toyota Yaris (KA-1234)"]
    assert inspection.decoded("dtstart").isoformat() == "2026-12-09"
    triggers = sorted(a.decoded("trigger") for a in inspection.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7), timedelta(days=-1)]
    # Her eID card covers her, so the passport's expiry carries no alarm.
    assert by_summary["Beidzas jūsu pases derīguma termiņš"].walk("VALARM") == []
    text = first.content.decode()
    anna = persona("anna")
    assert anna.personal_code not in text
    assert anna.personal_code.replace("-", "") not in text  # type: ignore[union-attr]
    assert anna.family_name not in text
    assert "LV4120573" not in text  # nor document numbers


async def test_a_new_feed_replaces_the_old_and_revoking_ends_it(http: httpx.AsyncClient) -> None:
    await login_as(http, "anna", "eparaksts")
    old = await new_feed(http)
    new = await new_feed(http)
    assert old != new
    assert (await http.get(old)).status_code == 404
    assert (await http.get(new)).status_code == 200
    feeds = (await graphql(http, FEEDS))["data"]["calendarFeeds"]  # type: ignore[index]
    assert len([f for f in feeds if f["subjectId"].startswith("person:")]) == 1
    revoked = (await graphql(http, REVOKE))["data"]["revokeCalendarFeed"]  # type: ignore[index]
    assert revoked["__typename"] == "CalendarFeedRevoked"
    assert (await http.get(new)).status_code == 404
    again = (await graphql(http, REVOKE))["data"]["revokeCalendarFeed"]  # type: ignore[index]
    assert again == {"__typename": "NotFoundError", "code": "not_found"}


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/abc.ics",
        "/calendar/" + "A" * 43 + ".ics",  # well-formed, unknown
        "/calendar/" + "A" * 43,  # no .ics
        "/calendar/" + "A" * 44 + ".ics",
        "/calendar/%00%00.ics",
        "/calendar/..%2F..%2Fetc%2Fpasswd.ics",
        "/calendar/",
    ],
)
async def test_a_malformed_or_unknown_token_is_not_found(
    http: httpx.AsyncClient, path: str
) -> None:
    answer = await http.get(path)
    assert answer.status_code == 404


# The test's own HTTP client logs the URLs it asks for; and uvicorn's raw access log, off in
# production (`vienuviet serve` runs it with access_log=False, checked below), only logs here
# because pytest attaches its capture handler to every non-propagating logger.
NOT_THE_APP = ("httpx", "httpcore", "uvicorn.access")


class FailingFacts:
    async def person_facts(self, person: object) -> object:
        raise RuntimeError("registry facts exploded")

    async def company_facts(self, number: str) -> object:
        raise RuntimeError("registry facts exploded")


async def test_the_feed_url_never_reaches_a_log(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, sandbox_obligations: Obligations
) -> None:
    await login_as(http, "anna", "eparaksts")
    path = await new_feed(http)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    with caplog.at_level(logging.DEBUG):
        assert (await http.get(path)).status_code == 200
        assert (await http.get(path.replace(token[:5], "zzzzz"))).status_code == 404
        facts = sandbox_obligations.facts
        sandbox_obligations.facts = FailingFacts()  # type: ignore[assignment]
        try:
            failed = await http.get(path)  # an unexpected error is logged, by route template
        finally:
            sandbox_obligations.facts = facts
        await graphql(http, REVOKE)
        assert (await http.get(path)).status_code == 404
    assert failed.status_code == 500
    assert token not in failed.text
    logged = [r for r in caplog.records if not r.name.startswith(NOT_THE_APP)]
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in logged)
    assert "unexpected RuntimeError on GET /calendar/{feed:str}" in text
    assert token not in text
    assert token[:20] not in text


def test_the_production_server_keeps_no_raw_access_log(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    import uvicorn

    from backend.cli import cmd_serve
    from backend.settings import load_settings

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    settings = load_settings({"DEBUG": "1", "SECRET_KEY": "x" * 40})
    cmd_serve(argparse.Namespace(host=None, port=None, workers=1), settings)
    assert seen["access_log"] is False
    assert seen["log_config"] is None


async def test_a_company_feed_for_its_representative(http: httpx.AsyncClient) -> None:
    await login_as(http, "martins", "eparaksts")
    path = await new_feed(http, OZOLS)
    calendar = Calendar.from_ical((await http.get(path)).content)
    assert str(calendar["x-wr-calname"]) == "Vienuviet: Ozols Tech SIA"
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    # Calendar apps ask without a language: the feed speaks its owner's (Mārtiņš: Latvian).
    assert "Gada pārskats (pārskata gada beigas: 2026. gada 31. decembris)" in summaries
    # Anna may not have one for the company.
    async with httpx.AsyncClient(base_url=str(http.base_url), timeout=10) as anna:
        await login_as(anna, "anna", "eparaksts")
        refused = (await graphql(anna, CREATE, {"subject": OZOLS}))["data"]["createCalendarFeed"]  # type: ignore[index]
    assert refused == {"__typename": "ForbiddenError", "code": "forbidden"}


async def test_one_obligation_downloads_as_ics_for_the_logged_in_viewer(
    http: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(http, "anna", "eparaksts")
    listed = (await graphql(http, LIST))["data"]["obligations"]["obligations"]  # type: ignore[index]
    inspection = next(o for o in listed if o["rule"] == "vehicle.inspection")
    answer = await http.get(inspection["downloadUrl"])
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="obligation.ics"'
    (only,) = events(answer.content).values()
    assert str(only["uid"]).startswith(inspection["id"] + "@")
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as stranger:
        assert (await stranger.get(inspection["downloadUrl"])).status_code == 401
        await login_as(stranger, "laura", "eparaksts")
        assert (await stranger.get(inspection["downloadUrl"])).status_code == 403  # Anna's subject
        own = f"/obligations/{inspection['id']}.ics"
        assert (await stranger.get(own)).status_code == 404  # not one of Laura's
    assert (await http.get("/obligations/nothing.ics")).status_code == 404
    assert (await http.get(f"/obligations/{inspection['id']}")).status_code == 404
