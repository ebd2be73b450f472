"""The signed-in pages over HTTP with real logins against the registry sandbox: home, obligations,
privacy and company. Pages read through GraphQL in-process and write through forms."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import httpx
import pytest

from backend.dashboard.cache import STORE_NAME, cache_key
from backend.lib.identifiers import make_personal_code
from backend.obligations.service import Obligations
from backend.obligations.tables import ObligationMark
from backend.services import Services
from backend.settings import Settings
from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app, no_cache, person_of
from tests.integration.obligations.conftest import (
    NOON_IN_RIGA,
    delegate_company,
    fresh_person,
    pinned,
)
from tests.sandbox_driver import TODAY, Sandbox

HTML = {"accept": "text/html"}
OZOLS = f"company:{OZOLS_TECH.registration_number}"


async def csrf(browser: httpx.AsyncClient) -> str:
    if "csrftoken" not in browser.cookies:
        await browser.get("/", headers=HTML)
    return browser.cookies.get("csrftoken", "")


def text_of(page: httpx.Response) -> str:
    """The page's text without tags, entities decoded and spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.text)))


def section(page: httpx.Response, heading_id: str) -> str:
    """The text of the section labelled by `heading_id`."""
    start = page.text.index(f'aria-labelledby="{heading_id}"')
    end = page.text.find("</section>", start)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.text[start:end])))


@pytest.fixture
async def signed_in(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> AsyncIterator[httpx.AsyncClient]:
    return http


@pytest.fixture
async def pinned_obligations(
    services: Services, registry_sandbox: Sandbox
) -> AsyncIterator[Obligations]:
    """The app's obligations with today pinned to the sandbox's."""
    original = services.obligations
    services.obligations = pinned(services, NOON_IN_RIGA)
    try:
        yield services.obligations
    finally:
        services.obligations = original


@pytest.mark.parametrize("path", ["/obligations", "/privacy", "/company"])
async def test_pages_need_a_login(http: httpx.AsyncClient, path: str) -> None:
    page = await http.get(path, headers=HTML)
    assert page.status_code == 303
    assert page.headers["location"] == f"/auth/login?next={path}"


async def test_the_anonymous_home_is_the_landing(http: httpx.AsyncClient) -> None:
    page = await http.get("/", headers=HTML)
    assert page.status_code == 200
    assert 'href="/auth/login?next=/"' in page.text
    assert 'class="site-nav"' not in page.text


PERSONAS = {
    "anna": {
        "declared-heading": "Olga Petrova",
        "pension-heading": "Swedbank",
        "doctor-heading": "Inga Kalēja",
        "vehicles-heading": "KA-1234",
        "properties-heading": "Namu serviss Centrs SIA",
        "documents-heading": "LV4120573",
    },
    "martins": {"vehicles-heading": "MO-2020", "declared-heading": "Inese Ozola"},
    "laura": {"vehicles-heading": "JL-5521", "pension-heading": "Citadele"},
}


@pytest.mark.parametrize("who", list(PERSONAS))
async def test_each_personas_home_shows_their_registry_data(
    signed_in: httpx.AsyncClient, who: str
) -> None:
    await login_as(signed_in, who, "eparaksts")
    signed_in.cookies.set("lang", "en")
    page = await signed_in.get("/", headers=HTML)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    for heading, expected in PERSONAS[who].items():
        shown = section(page, heading)
        assert expected in shown, (heading, shown)
        assert "Up to date" not in shown  # said once for the page, not on every card
    assert page.text.count("Up to date · as of") == 1
    assert 'aria-current="page">' in page.text
    assert 'href="/obligations"' in page.text
    nav = page.text[page.text.index('class="site-nav"') :]
    # Only people who may act for a company see it: Mārtiņš by his board seats; anyone else only
    # if a company delegated to them (other tests may have made someone a delegate).
    subjects = await graphql(signed_in, "{ me { subjects { registrationNumber } } }")
    acts_for_company = any(
        s["registrationNumber"]
        for s in subjects["data"]["me"]["subjects"]  # type: ignore[index]
    )
    assert acts_for_company or who != "martins"
    assert ('href="/company"' in nav) == acts_for_company


async def test_a_person_without_a_personal_code_sees_sources_as_not_applicable(
    signed_in: httpx.AsyncClient,
) -> None:
    await login_as(signed_in, "pierre", "eidas")
    signed_in.cookies.set("lang", "en")
    page = await signed_in.get("/", headers=HTML)
    assert page.status_code == 200
    assert "this registry needs a Latvian personal code" in section(page, "pension-heading")


async def test_real_estate_tax_is_the_municipalitys_and_its_interest_agrees(
    signed_in: httpx.AsyncClient, pinned_obligations: Obligations
) -> None:
    """Issue 15: real-estate tax was shown inside VID's tax account, with a day more interest
    than the obligation. Each municipality bills its own; both say €0.58 (11 days)."""
    await login_as(signed_in, "martins", "eparaksts")
    signed_in.cookies.set("lang", "en")
    page = await signed_in.get("/", headers=HTML)
    card = section(page, "real-estate-tax-heading")
    assert "not to the State Revenue Service" in card
    assert "Rīgas valstspilsētas pašvaldība" in card
    assert "Jūrmalas valstspilsētas pašvaldība" in card
    assert "Unpaid instalment: €105.00" in card
    assert "Late interest so far: €0.58" in card
    assert "€0.00" in section(page, "tax-heading")  # VID's account holds none of it
    listed = text_of(await signed_in.get("/obligations", headers=HTML))
    assert "Late interest of 0.05 % a day: €0.58 so far." in listed
    for language, heading in (
        ("lv", "Nekustamā īpašuma nodoklis"),
        ("ru", "Налог на недвижимость"),
    ):
        signed_in.cookies.set("lang", language)
        shown = section(await signed_in.get("/", headers=HTML), "real-estate-tax-heading")
        assert heading in shown


async def test_home_in_english_formats_amounts_and_dates(signed_in: httpx.AsyncClient) -> None:
    await login_as(signed_in, "anna", "eparaksts")
    signed_in.cookies.set("lang", "en")
    page = await signed_in.get("/", headers=HTML)
    assert re.search(r"€\d\d,\d{3}\.\d\d ", section(page, "pension-heading"))  # €18,452.37 + …
    assert "Changes since your last visit" in page.text


@pytest.fixture(scope="module")
async def fault_app(
    settings: Settings, services: Services, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DashboardApp]:
    """Every request asks the registries (no freshness), so a fault shows at once."""
    var_dir: Path = tmp_path_factory.mktemp("pages-faults")
    async with dashboard_app(settings, services, var_dir, **no_cache(budget_ms=2500)) as app:
        yield app


async def test_a_failing_source_shows_stale_or_unavailable_text_not_an_error(
    fault_app: DashboardApp, registry_sandbox: Sandbox, settings: Settings
) -> None:
    await registry_sandbox.reset()
    valdis = await person_of(settings, "valdis")
    try:
        async with fault_app.browser(valdis) as browser:
            browser.cookies.set("lang", "en")
            first = await browser.get("/", headers=HTML)
            assert "Not refreshed" not in section(first, "doctor-heading")
            assert first.text.count("Up to date · as of") == 1
            await registry_sandbox.fault("nhs", down=True)
            await fault_app.services.stores.store(STORE_NAME).delete(
                cache_key("csdd", valdis.subject_key)
            )
            await registry_sandbox.fault("csdd", error_rate=1.0, error_status=503)
            page = await browser.get("/", headers=HTML)
        assert page.status_code == 200
        doctor = section(page, "doctor-heading")
        assert "Not refreshed" in doctor
        assert "this is as of" in doctor
        vehicles = section(page, "vehicles-heading")
        assert "Unavailable" in vehicles
        assert "CV-777" not in vehicles
        tax = section(page, "tax-heading")  # the others are unaffected: data, no status line
        assert "Unavailable" not in tax
        assert "Not refreshed" not in tax
        assert page.text.count("Up to date · as of") == 1
    finally:
        await registry_sandbox.reset()


async def test_refresh_and_its_rate_limit(
    settings: Settings, services: Services, tmp_path: Path, registry_sandbox: Sandbox
) -> None:
    async with (
        dashboard_app(settings, services, tmp_path, DASHBOARD_REFRESH_LIMIT="1") as app,
        app.browser("anna") as browser,
    ):
        browser.cookies.set("lang", "en")
        token = await csrf(browser)
        done = await browser.post("/dashboard/refresh", data={"_csrf_token": token})
        assert done.headers["location"] == "/?notice=refreshed"
        again = await browser.post("/dashboard/refresh", data={"_csrf_token": token})
        assert again.headers["location"].startswith("/?notice=rate_limited&retry=")
        page = await browser.get(again.headers["location"], headers=HTML)
        assert page.status_code == 200
        assert "You can refresh again in" in text_of(page)


async def test_changes_since_my_last_visit_are_shown_then_marked_seen(
    signed_in: httpx.AsyncClient, registry_sandbox: Sandbox, services: Services
) -> None:
    await login_as(signed_in, "valdis", "eparaksts")
    signed_in.cookies.set("lang", "en")
    await signed_in.get("/", headers=HTML)  # the baseline
    valdis = await person_of(services.settings, "valdis")
    tenant = f"Pages Tenant-{uuid.uuid4().hex[:6]}"
    try:
        await registry_sandbox.declare(
            "120155-14126",
            property_address="Mājas “Ozoliņi”, Vaives pagasts, Cēsu novads, LV-4150",
            name=tenant,
            personal_code=make_personal_code(date(1990, 5, 5), uuid.uuid4().int % 900),
            declared_on=(TODAY - timedelta(days=1)).isoformat(),
        )
        await services.stores.store(STORE_NAME).delete(
            cache_key("population_register", valdis.subject_key)
        )
        prefetched = await signed_in.get("/", headers=HTML | {"sec-purpose": "prefetch"})
        assert tenant in section(prefetched, "changes-heading")
        page = await signed_in.get("/", headers=HTML)
        changes = section(page, "changes-heading")
        assert "New" in changes
        assert tenant in changes
        later = await signed_in.get("/", headers=HTML)
        assert tenant in section(later, "changes-heading")
        assert " New " not in section(later, "changes-heading")
    finally:
        await registry_sandbox.reset()


async def test_withdrawing_consent_hides_the_source_and_allowing_brings_it_back(
    signed_in: httpx.AsyncClient,
) -> None:
    await login_as(signed_in, "ilze", "eparaksts")
    signed_in.cookies.set("lang", "en")
    token = await csrf(signed_in)
    assert "Luminor" in section(await signed_in.get("/", headers=HTML), "pension-heading")
    withdrawn = await signed_in.post(
        "/privacy/consent", data={"_csrf_token": token, "source": "SSIA", "granted": "false"}
    )
    assert withdrawn.headers["location"] == "/privacy?notice=withdrawn"
    privacy = await signed_in.get(withdrawn.headers["location"], headers=HTML)
    assert "Consent withdrawn" in text_of(privacy)
    assert "Withdrawn · since" in section(privacy, "consent-heading")
    pension = section(await signed_in.get("/", headers=HTML), "pension-heading")
    assert "Luminor" not in pension
    assert "you withdrew consent" in pension
    allowed = await signed_in.post(
        "/privacy/consent", data={"_csrf_token": token, "source": "SSIA", "granted": "true"}
    )
    assert allowed.headers["location"] == "/privacy?notice=granted"
    assert "Luminor" in section(await signed_in.get("/", headers=HTML), "pension-heading")
    bad = await signed_in.post(
        "/privacy/consent", data={"_csrf_token": token, "source": "NOPE", "granted": "false"}
    )
    assert bad.headers["location"] == "/privacy?notice=unknown_source"


async def test_who_looked_at_my_data_is_listed_and_paged(signed_in: httpx.AsyncClient) -> None:
    await login_as(signed_in, "anna", "eparaksts")
    signed_in.cookies.set("lang", "en")
    token = await csrf(signed_in)
    for _ in range(3):  # each refresh reads every source again: more than one page of reads
        await signed_in.post("/dashboard/refresh", data={"_csrf_token": token})
    page = await signed_in.get("/privacy", headers=HTML)
    log = section(page, "log-heading")
    assert "Population Register" in log
    assert "a refresh you asked for" in log
    older = re.search(r'href="(/privacy\?after=[^"]+)"', page.text)
    assert older is not None
    second = await signed_in.get(unescape(older.group(1)), headers=HTML)
    assert second.status_code == 200
    assert 'href="/privacy">Newest' in second.text


def obligation_ids(page: httpx.Response) -> list[str]:
    return re.findall(r'<li class="card" id="ob-([^"]+)"', page.text)


def markable(page: httpx.Response) -> list[str]:
    return re.findall(r'action="/obligations/([^"/]+)/done#ob-\1"', page.text)


async def test_obligation_forms_mark_done_snooze_and_acknowledge(
    signed_in: httpx.AsyncClient, pinned_obligations: Obligations, services: Services
) -> None:
    martins = await person_of(services.settings, "martins")
    keys = [OZOLS, martins.subject_key]  # marks of earlier runs (a kept database)
    await ObligationMark.delete().where(ObligationMark.subject_key.is_in(keys)).run()
    await login_as(signed_in, "martins", "eparaksts")
    signed_in.cookies.set("lang", "en")
    token = await csrf(signed_in)
    own = await signed_in.get("/obligations", headers=HTML)
    assert "The registries confirm this one themselves." in own.text  # his are all confirmed
    page = await signed_in.get("/obligations", params={"subject": OZOLS}, headers=HTML)
    assert page.status_code == 200
    assert "Legal basis" in page.text
    assert ".ics?subject=" in page.text
    ids = markable(page)
    assert len(ids) >= 2, text_of(page)
    done = await signed_in.post(
        f"/obligations/{ids[0]}/done", data={"_csrf_token": token, "subject": OZOLS}
    )
    assert done.status_code == 303
    assert "notice=done" in done.headers["location"]
    after = await signed_in.get(done.headers["location"], headers=HTML)
    assert ids[0] not in obligation_ids(after)
    # Off the list now: its notice stands where the list begins, as the form's target (#ob-…).
    gone = after.text.index(f'id="ob-{ids[0]}"')
    assert after.text.index('id="due-heading"') < gone < after.text.index("Marked as done.")
    keep = {"_csrf_token": token, "subject": OZOLS}
    bad = await signed_in.post(f"/obligations/{ids[1]}/snooze", data=keep | {"until": "soon"})
    assert "notice=invalid_date" in bad.headers["location"]
    # Still listed: the notice comes back inside its own card, not at the top of the page.
    card = (await signed_in.get(bad.headers["location"], headers=HTML)).text
    start = card.index(f'<li class="card" id="ob-{ids[1]}"')
    assert start < card.index("Choose a date.") < card.index("</li>", start)
    until = (TODAY + timedelta(days=1)).isoformat()
    snoozed = await signed_in.post(f"/obligations/{ids[1]}/snooze", data=keep | {"until": until})
    assert "notice=snooze" in snoozed.headers["location"], snoozed.headers["location"]
    listed = await signed_in.get("/obligations", params={"subject": OZOLS}, headers=HTML)
    assert ids[1] not in obligation_ids(listed)
    # Mārtiņš's own overdue real-estate tax is a legal deadline he can say he knows about.
    ack = re.search(r'action="/obligations/([^"/]+)/acknowledge#', own.text)
    assert ack is not None
    noted = await signed_in.post(
        f"/obligations/{ack.group(1)}/acknowledge", data={"_csrf_token": token}
    )
    assert "notice=acknowledge" in noted.headers["location"]
    shown = await signed_in.get(noted.headers["location"], headers=HTML)
    assert "Marked as noted: no stronger reminders." in shown.text
    start = shown.text.index(f'<li class="card" id="ob-{ack.group(1)}"')
    notice = shown.text.index("Noted: we will not escalate this reminder.")
    assert start < notice < shown.text.index("</li>", start)


async def test_someone_elses_obligation_is_not_found(
    base_url: str, signed_in: httpx.AsyncClient, pinned_obligations: Obligations
) -> None:
    await login_as(signed_in, "martins", "eparaksts")
    his = obligation_ids(await signed_in.get("/obligations", headers=HTML))
    assert his
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as anna:
        await login_as(anna, "anna", "eparaksts")
        token = await csrf(anna)
        answer = await anna.post(
            f"/obligations/{his[0]}/done", data={"_csrf_token": token}, headers=HTML
        )
        assert answer.status_code == 404
        forged = await anna.get("/obligations", params={"subject": OZOLS}, headers=HTML)
        assert forged.status_code == 403


async def test_the_date_range_filters_obligations(
    signed_in: httpx.AsyncClient, pinned_obligations: Obligations
) -> None:
    await login_as(signed_in, "martins", "eparaksts")
    everything = obligation_ids(await signed_in.get("/obligations", headers=HTML))
    day = (TODAY + timedelta(days=400)).isoformat()
    later = await signed_in.get(
        "/obligations", params={"date_from": day, "date_to": day}, headers=HTML
    )
    assert later.status_code == 200
    assert obligation_ids(later) == []
    assert everything


async def test_calendar_subscription_is_shown_once_and_can_be_ended(
    signed_in: httpx.AsyncClient, pinned_obligations: Obligations
) -> None:
    await login_as(signed_in, "anna", "eparaksts")
    signed_in.cookies.set("lang", "en")
    token = await csrf(signed_in)
    made = await signed_in.post("/obligations/calendar", data={"_csrf_token": token})
    assert made.status_code == 200
    url = re.search(r'id="feed-url">([^<]+)<', made.text)
    assert url is not None
    assert "/calendar/" in url.group(1)
    path = httpx.URL(url.group(1)).path
    assert (await signed_in.get(path)).status_code == 200
    again = await signed_in.get("/obligations", headers=HTML)
    assert url.group(1) not in again.text  # shown once
    assert "A subscription has been active since" in again.text
    ended = await signed_in.post("/obligations/calendar/revoke", data={"_csrf_token": token})
    assert "notice=feed_revoked" in ended.headers["location"]
    assert (await signed_in.get(path)).status_code == 404


async def test_the_company_workspace_is_only_for_representatives(
    signed_in: httpx.AsyncClient, base_url: str
) -> None:
    await login_as(signed_in, "martins", "eparaksts")
    signed_in.cookies.set("lang", "en")
    token = await csrf(signed_in)
    choose = await signed_in.get("/company", headers=HTML)
    assert choose.status_code == 200
    assert "Ozols Tech SIA" in choose.text
    assert "Baltic Timber AS" in choose.text
    switched = await signed_in.post(
        "/account/acting-as", data={"_csrf_token": token, "subject_id": OZOLS, "next": "/company"}
    )
    assert switched.headers["location"] == "/company"
    page = await signed_in.get("/company", headers=HTML)
    assert page.status_code == 200
    facts = section(page, "company-facts-heading")
    assert OZOLS_TECH.registration_number in facts
    assert "Mārtiņš Ozols" in section(page, "officers-heading")
    assert f'href="/mail?subject=company%3A{OZOLS_TECH.registration_number}"' in page.text
    home = await signed_in.get("/", headers=HTML)
    assert "You are acting for Ozols Tech SIA" in text_of(home)
    assert OZOLS_TECH.registration_number in section(home, "company-facts-heading")
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as anna:
        await login_as(anna, "anna", "eparaksts")
        assert (await anna.get("/company", headers=HTML)).status_code == 404


async def test_the_company_log_speaks_of_the_company_and_of_every_purpose(
    signed_in: httpx.AsyncClient,
) -> None:
    """Reads made for the company's dashboard and its deadlines are worded as the company's,
    in the page's language (no purpose code shown raw)."""
    await login_as(signed_in, "martins", "eparaksts")
    signed_in.cookies.set("lang", "en")
    token = await csrf(signed_in)
    await signed_in.post(
        "/account/acting-as", data={"_csrf_token": token, "subject_id": OZOLS, "next": "/company"}
    )
    # A refresh reads the company's registries now (a cached dashboard would read nothing), so
    # its entries are the newest in the log whatever earlier tests left there.
    refreshed = await signed_in.post("/dashboard/refresh", data={"_csrf_token": token})
    assert refreshed.status_code == 303
    log = section(await signed_in.get("/company", headers=HTML), "company-log-heading")
    assert "For a refresh of the company's dashboard, asked by" in log
    assert "you asked for" not in log
    signed_in.cookies.set("lang", "lv")
    latvian = section(await signed_in.get("/company", headers=HTML), "company-log-heading")
    assert "Mērķis: uzņēmuma pārskata atjaunošana" in latvian


async def test_a_delegate_who_reads_mail_only_sees_the_company_without_its_obligations(
    fault_app: DashboardApp, registry_sandbox: Sandbox
) -> None:
    delegate = await fresh_person()
    await delegate_company(delegate, OZOLS_TECH.registration_number, "view_mail")
    async with fault_app.browser(delegate, acting_as=OZOLS) as browser:
        browser.cookies.set("lang", "en")
        home = await browser.get("/", headers=HTML)
        assert home.status_code == 200
        assert OZOLS_TECH.registration_number in section(home, "company-facts-heading")
        assert 'id="upcoming-heading"' not in home.text
        workspace = await browser.get("/company", headers=HTML)
        assert workspace.status_code == 200
        assert f'href="/mail?subject=company%3A{OZOLS_TECH.registration_number}"' in workspace.text
        assert 'href="/obligations?subject=' not in workspace.text
        own = await browser.get("/obligations", headers=HTML)  # theirs, not the company's
        assert own.status_code == 200
        assert "for Test Person, by date" in text_of(own)
        forged = await browser.get("/obligations", params={"subject": OZOLS}, headers=HTML)
        assert forged.status_code == 403
