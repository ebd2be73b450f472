"""Languages: Latvian (default), English and Russian, from gettext catalogs under pwa/locales.

Catalogs are read from their .po files with Babel at start-up (no compiled .mo files to keep
in sync). The language of the current request lives in a context variable set by the web
shell (`with_request_context`), so templates, e-mails and formatting helpers all agree on it.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton as babel_format_skeleton
from babel.dates import format_time as babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from backend.lib.time import RIGA, as_utc

LOCALES_DIR = Path(__file__).resolve().parents[2] / "pwa" / "locales"
LANGUAGES: tuple[str, ...] = ("lv", "en", "ru")
DEFAULT_LANGUAGE = "lv"
LANGUAGE_NAMES = {"lv": "Latviešu", "en": "English", "ru": "Русский"}

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog for `language`; English source strings when there is none (English)."""
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def pick_language(*candidates: str | None, accept_language: str | None = None) -> str:
    """The first supported language among explicit choices, then the Accept-Language header."""
    for candidate in candidates:
        if candidate in LANGUAGES:
            return candidate
    if accept_language:
        ranked: list[tuple[float, str]] = []
        for part in accept_language.split(","):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            ranked.append((quality, tag.split("-")[0].lower()))
        for _, tag in sorted(ranked, key=lambda item: -item[0]):
            if tag in LANGUAGES:
                return tag
    return DEFAULT_LANGUAGE


def _parse(value: date | datetime | str) -> date | datetime:
    """Pages read GraphQL results, where dates arrive as ISO 8601 strings."""
    if not isinstance(value, str):
        return value
    if "T" in value:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)


def babel_locale(language: str | None = None) -> Locale:
    """Babel's locale for one of our languages: English is written the British way
    ("4 December 2026", never "December 4, 2026"), as in the rest of Europe."""
    code = language or current_language.get()
    return Locale.parse("en_GB" if code == "en" else code)


# A date inside a Latvian sentence takes the case the sentence needs: "līdz" (until) the
# dative, "kopš" (since) the genitive, "uz" (as of) the accusative, and a date on which
# something happens the locative. Babel writes only the nominative ("2027. gada 17.
# februāris"); these are the month names in each case (nominative, genitive, dative,
# accusative, locative), from the Latvian grammar of the 2nd and 1st declensions.
LATVIAN_MONTHS: tuple[tuple[str, str, str, str, str], ...] = (
    ("janvāris", "janvāra", "janvārim", "janvāri", "janvārī"),
    ("februāris", "februāra", "februārim", "februāri", "februārī"),
    ("marts", "marta", "martam", "martu", "martā"),
    ("aprīlis", "aprīļa", "aprīlim", "aprīli", "aprīlī"),
    ("maijs", "maija", "maijam", "maiju", "maijā"),
    ("jūnijs", "jūnija", "jūnijam", "jūniju", "jūnijā"),
    ("jūlijs", "jūlija", "jūlijam", "jūliju", "jūlijā"),
    ("augusts", "augusta", "augustam", "augustu", "augustā"),
    ("septembris", "septembra", "septembrim", "septembri", "septembrī"),
    ("oktobris", "oktobra", "oktobrim", "oktobri", "oktobrī"),
    ("novembris", "novembra", "novembrim", "novembri", "novembrī"),
    ("decembris", "decembra", "decembrim", "decembri", "decembrī"),
)
# The sentence's need, named by what the date does in it, and the Latvian case it takes.
DATE_FORMS: dict[str, int] = {"until": 2, "since": 1, "as_of": 3, "on": 4}


def latvian_long_date(value: date, form: str | None = None) -> str:
    """ "2027. gada 17. februāris", or with `form` the case a sentence needs ("līdz 2027.
    gada 17. februārim", "kopš 2019. gada 1. septembra", "2026. gada 7. decembrī")."""
    month = LATVIAN_MONTHS[value.month - 1][DATE_FORMS[form] if form else 0]
    return f"{value.year}. gada {value.day}. {month}"


def format_date(value: date | datetime | str, style: str = "long", form: str | None = None) -> str:
    """A date as people in the current language write it (datetimes shown in Riga time).

    `form` says what the date does in its sentence (`DATE_FORMS`: "until", "since", "as_of",
    "on"), so that a Latvian sentence gets the case its preposition or verb needs. Russian
    long dates are already in the genitive every such sentence takes ("до 17 февраля 2027 г.",
    "с 1 сентября 2019 г."), English needs none.
    """
    value = _parse(value)
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(RIGA).date()
    if form is not None and form not in DATE_FORMS:
        raise ValueError(f"unknown date form {form!r}")
    language = current_language.get()
    if language == "lv":
        if style == "long":
            return latvian_long_date(value, form)
        if style == "short":
            # Latvian official style writes the year in full, with the closing point.
            return f"{value.day:02d}.{value.month:02d}.{value.year}."
    return babel_format_date(value, format=style, locale=babel_locale(language))


def date_until(value: date | datetime | str) -> str:
    return format_date(value, form="until")


def date_since(value: date | datetime | str) -> str:
    return format_date(value, form="since")


def date_on(value: date | datetime | str) -> str:
    return format_date(value, form="on")


def date_as_of(value: date | datetime | str) -> str:
    return format_date(value, form="as_of")


def format_datetime(value: datetime | str, style: str = "medium") -> str:
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        parsed = datetime.combine(parsed, datetime.min.time())
    if style == "short" and current_language.get() == "lv":
        # "04.12.2026. 15:52", not Babel's two-digit year "04.12.26 15:52".
        local = as_utc(parsed).astimezone(RIGA)
        return f"{format_date(local.date(), 'short')} {local:%H:%M}"
    if style == "medium":
        # Minutes, not seconds: "4 Dec 2026, 15:52".
        local = as_utc(parsed).astimezone(RIGA)
        locale = babel_locale()
        day = babel_format_date(local.date(), "medium", locale=locale)
        return f"{day}, {babel_format_time(local, 'short', locale=locale)}"
    return babel_format_datetime(as_utc(parsed), format=style, tzinfo=RIGA, locale=babel_locale())


def format_month_day(value: str) -> str:
    """A day of every year, "MM-DD" (a financial year's end), as people write it: "31 December",
    "31. decembris", "31 декабря". Anything else is shown as it came."""
    try:
        month, day = (int(part) for part in value.split("-"))
        moment = date(2000, month, day)  # a leap year: 02-29 is a valid day of the year
    except ValueError:
        return value
    return babel_format_skeleton("MMMMd", moment, locale=babel_locale())


# A reporting period (a month or a calendar quarter) in a sentence: the nominative, or with
# form "for" what follows "par"/"за"/"for" ("PVN deklarācija par 2026. gada novembri",
# "Декларация НДС за ноябрь 2026 года", "VAT return for Q4 2026"), never "2026-11" or "2026-Q4".
PERIOD_FORMS = frozenset({"for"})


def format_period(first: date, months: int, form: str | None = None) -> str:
    """The month or quarter beginning on `first` (`months` 1 or 3) as words, in `form`."""
    if form is not None and form not in PERIOD_FORMS:
        raise ValueError(f"unknown period form {form!r}")
    language = current_language.get()
    quarter = (first.month - 1) // 3 + 1
    if language == "lv":
        if months == 1:
            return f"{first.year}. gada {LATVIAN_MONTHS[first.month - 1][3 if form else 0]}"
        return f"{first.year}. gada {quarter}. {'ceturksni' if form else 'ceturksnis'}"
    if language == "ru":
        # Inanimate masculine: the accusative after "за" is the nominative ("за ноябрь").
        if months == 1:
            month = babel_format_date(first, "LLLL", locale=babel_locale(language))
            return f"{month} {first.year} года"
        return f"{quarter}-й квартал {first.year} года"
    if months == 1:
        return babel_format_skeleton("yMMMM", first, locale=babel_locale(language))
    return f"Q{quarter} {first.year}"


def format_money(amount: Decimal | float | int, currency: str = "EUR") -> str:
    return format_currency(amount, currency, locale=babel_locale())


def format_number(value: Decimal | float | int) -> str:
    return format_decimal(value, locale=babel_locale())
