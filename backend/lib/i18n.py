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


def format_date(value: date | datetime | str, style: str = "long") -> str:
    """A date as people in the current language write it (datetimes shown in Riga time)."""
    value = _parse(value)
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(RIGA).date()
    return babel_format_date(value, format=style, locale=Locale.parse(current_language.get()))


def format_datetime(value: datetime | str, style: str = "medium") -> str:
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        parsed = datetime.combine(parsed, datetime.min.time())
    return babel_format_datetime(
        as_utc(parsed), format=style, tzinfo=RIGA, locale=Locale.parse(current_language.get())
    )


def format_money(amount: Decimal | float | int, currency: str = "EUR") -> str:
    return format_currency(amount, currency, locale=Locale.parse(current_language.get()))


def format_number(value: Decimal | float | int) -> str:
    return format_decimal(value, locale=Locale.parse(current_language.get()))
