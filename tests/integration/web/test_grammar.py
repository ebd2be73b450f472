"""Grammar on the signed-in pages of every development persona, in Latvian, English and
Russian (issue 15, item 5): a date inside a sentence takes the case its sentence needs,
nobody whose gender we do not know is addressed as a man, institution names are not forced
into a case they cannot take, and English dates are written the British way.

Real logins against the development identity provider, real registry sandbox, a real
e-address message sent through the institution API; the pages are read as a browser gets
them and checked for the wrong forms people reported."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape

import httpx
import pytest

from backend.eaddress.mailbox.accounts import activate_person
from backend.obligations.service import Obligations
from backend.services import Services
from backend.settings import Settings
from integrations.devstack.personas import OZOLS_TECH, PERSONAS
from tests.auth_driver import login_as
from tests.idp_driver import RunningIdP
from tests.integration.dashboard.conftest import person_of
from tests.integration.eaddress.conftest import Api, fetch_token, make_institution, message_json
from tests.integration.obligations.conftest import NOON_IN_RIGA, pinned
from tests.sandbox_driver import Sandbox

HTML = {"accept": "text/html"}
PAGES = (
    "/",
    "/obligations",
    "/mail",
    "/account",
    "/privacy",
    "/settings/notifications",
    "/more",
    "/notifications",
)

NOMINATIVE_MONTHS = (
    "janvāris|februāris|marts|aprīlis|maijs|jūnijs|jūlijs|augusts|septembris|oktobris|"
    "novembris|decembris"
)
LONG_DATE = rf"\d{{4}}\. gada \d{{1,2}}\. (?:{NOMINATIVE_MONTHS})\b"
# Words after which a Latvian date cannot stay in the nominative: prepositions that govern a
# case (līdz: dative, kopš: genitive, uz: accusative) and sentences saying *when* something
# happened or happens (locative).
# Formats no reader should meet in a sentence, in any language (issue 15, item 10): a
# reporting period printed raw ("par 2026-11", "2026-Q4") instead of in words.
RAW = {
    "a month printed raw": re.compile(r"\b\d{4}-(?:0[1-9]|1[0-2])\b(?!-\d)"),
    "a quarter printed raw": re.compile(r"\b\d{4}-Q[1-4]\b"),
}
WRONG = {
    "lv": {
        **RAW,
        "a signed-in person told to log in": re.compile(r"Piesakieties, lai"),
        "nominative date after a preposition": re.compile(rf"\b(?:līdz|kopš|uz) {LONG_DATE}"),
        "nominative date for when it happens": re.compile(
            rf"(?:saņemtu|izslēgta|Pievienota|pievienots) {LONG_DATE}"
        ),
        "a woman told she is a man": re.compile(
            r"\b(?:esat|neesat) (?:\w+ )?(?:pieņēmis|izslēdzis|reģistrēts|mainījis)\b"
        ),
        "an institution's name after 'iestādei' in the nominative": re.compile(
            r"iestādei (?:Valsts|Pilsonības|Nacionālais|Rīgas) "
        ),
        "two-digit year": re.compile(r"\b\d\d\.\d\d\.\d\d\b(?!\d)"),
    },
    "en": {
        **RAW,
        "a signed-in person told to log in": re.compile(r"\bLog in to read\b"),
        "US date": re.compile(
            r"\b(?:January|February|March|April|May|June|July|August|September|October|"
            r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}"
        ),
        "US numeric date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b(?!\d)"),
    },
    "ru": {
        **RAW,
        "a card or licence said to be masculine": re.compile(
            r"(?:карта|удостоверение|разрешение)[^.]{0,40}\bдействителен\b"
        ),
        "a masculine word on the home page's list of documents of every gender": re.compile(
            r"\b(?:eID-карта|Паспорт|Вид на жительство)\b[^.]{0,30}\bдействителен до\b"
        ),
    },
}


UP_TO_DATE = {"lv": "Aktuāli", "en": "Up to date", "ru": "Актуально"}


def visible_text(page: httpx.Response) -> str:
    """The page's text as a reader sees it: no tags, scripts or styles; spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.text, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
async def pinned_obligations(
    services: Services, registry_sandbox: Sandbox
) -> AsyncIterator[Obligations]:
    original = services.obligations
    services.obligations = pinned(services, NOON_IN_RIGA)
    try:
        yield services.obligations
    finally:
        services.obligations = original


async def send_mail(base_url: str, personal_code: str) -> None:
    """An official letter from an institution, so the mail pages show its received-on date."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        api = Api(client, await fetch_token(client, await make_institution()))
        answer = await api.send(message_json({"type": "personal_code", "id": personal_code}))
        assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("who", [p.slug for p in PERSONAS])
async def test_every_personas_pages_are_grammatical_in_every_language(
    idp: RunningIdP,
    registry_sandbox: Sandbox,
    pinned_obligations: Obligations,
    settings: Settings,
    base_url: str,
    http: httpx.AsyncClient,
    who: str,
) -> None:
    persona = next(p for p in PERSONAS if p.slug == who)
    if persona.personal_code:
        await activate_person((await person_of(settings, who)).id)
        await send_mail(base_url, persona.personal_code)
    await login_as(http, who, "eidas" if persona.personal_code is None else "eid_card")
    found: list[tuple[str, str, str, str]] = []
    read = 0
    for language, rules in WRONG.items():
        http.cookies.set("lang", language)
        for path in PAGES:
            page = await http.get(path, headers=HTML)
            if page.status_code != 200:
                assert page.status_code in (303, 403), (path, page.status_code)
                continue
            read += 1
            text = visible_text(page)
            for problem, pattern in rules.items():
                found += [(language, path, problem, m.group(0)) for m in pattern.finditer(text)]
            # Freshness is said once a page; a card repeats it only when its source failed.
            if text.count(UP_TO_DATE[language]) > 1:
                found.append((language, path, "'up to date' on every card", UP_TO_DATE[language]))
    assert read >= 3 * 4, read  # home, obligations, account and settings at least
    assert found == []


async def test_dates_take_the_case_their_latvian_sentence_needs(
    idp: RunningIdP,
    registry_sandbox: Sandbox,
    pinned_obligations: Obligations,
    settings: Settings,
    base_url: str,
    http: httpx.AsyncClient,
) -> None:
    """Anna's home and mail: "līdz" takes the dative, "kopš" the genitive, "uzskatāma par
    saņemtu" the locative; the same dates in English are British, in Russian genitive."""
    await activate_person((await person_of(settings, "anna")).id)
    await send_mail(base_url, "150385-11028")
    await login_as(http, "anna", "eid_card")
    http.cookies.set("lang", "lv")
    home = visible_text(await http.get("/", headers=HTML))
    assert re.search(r"Spēkā līdz \d{4}\. gada \d{1,2}\. \w+(?:im|am)\b", home), home
    assert re.search(r"kopš \d{4}\. gada \d{1,2}\. \w+a\b", home)
    mail = visible_text(await http.get("/mail", headers=HTML))
    assert re.search(r"Uzskatāma par saņemtu \d{4}\. gada \d{1,2}\. \w+(?:ī|ā)\b", mail), mail
    http.cookies.set("lang", "en")
    home = visible_text(await http.get("/", headers=HTML))
    assert re.search(r"Valid until \d{1,2} [A-Z][a-z]+ \d{4}\b", home)
    http.cookies.set("lang", "ru")
    home = visible_text(await http.get("/", headers=HTML))
    assert re.search(r"Действует до \d{1,2} [а-я]+ \d{4} г\.", home)


async def test_a_companys_reporting_periods_are_words_in_every_language(
    idp: RunningIdP,
    registry_sandbox: Sandbox,
    pinned_obligations: Obligations,
    http: httpx.AsyncClient,
) -> None:
    """Ozols Tech files VAT quarterly and reports as an employer monthly: the titles say the
    period in words, in the case "par"/"за"/"for" needs (issue 15, item 10)."""
    await login_as(http, "martins", "eid_card")
    subject = f"company:{OZOLS_TECH.registration_number}"
    expected = {
        "lv": (
            r"PVN deklarācija par \d{4}\. gada [1-4]\. ceturksni\b",
            r"Darba devēja ziņojums par \d{4}\. gada [a-zāēīū]+(?:i|u)\b",
        ),
        "en": (r"VAT return for Q[1-4] \d{4}\b", r"Employer's report for [A-Z][a-z]+ \d{4}\b"),
        "ru": (
            r"Декларация НДС за [1-4]-й квартал \d{4} года",
            r"Отчёт работодателя за [а-я]+ \d{4} года",
        ),
    }
    for language, patterns in expected.items():
        http.cookies.set("lang", language)
        page = await http.get("/obligations", params={"subject": subject}, headers=HTML)
        assert page.status_code == 200, page.status_code
        text = visible_text(page)
        for pattern in patterns:
            assert re.search(pattern, text), (language, pattern)
        for problem, raw in RAW.items():
            assert not raw.search(text), (language, problem, raw.search(text))
