"""Texts said away from a request, rendered later in the reader's language.

Code that runs outside a request cannot translate: it does not know who will read what it
says. An obligation rule, for one: the same obligation is shown on a page in Russian, written
into a calendar feed in Latvian and sent as a reminder to a representative who reads English.
So rules return `Text(msgid, **params)`: an English gettext msgid (marked
with `N_` for `make messages`) and its parameters as values, not as strings. The edge (GraphQL,
the iCal feed, the notification renderer) calls `render`, which translates the msgid and
formats dates, numbers and amounts for the current language (backend/lib/i18n.py).

A Text also travels as JSON (`to_json` / `from_json`): a reminder row keeps it so the notice
is written in each recipient's own language when it is delivered.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Union

from backend.lib import i18n


def N_(message: str) -> str:
    """Marks a msgid for extraction (`make messages`); translated when rendered."""
    return message


@dataclass(frozen=True)
class Money:
    """An amount in euro, formatted per locale ("1 234,50 €", "€1,234.50")."""

    amount: Decimal


@dataclass(frozen=True)
class ReportingPeriod:
    """A month (`months` 1) or a calendar quarter (3) beginning on `first`, said in words:
    `{period:for}` after "for" ("par 2026. gada novembri", "за 4-й квартал 2026 года")."""

    first: date
    months: int


Param = Union[str, int, Decimal, date, Money, ReportingPeriod, "Text"]


class Text:
    """A msgid with `{name}` parameters (str.format); equal and hashable by value."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: Param) -> None:
        self.msgid = msgid
        self.params: tuple[tuple[str, Param], ...] = tuple(sorted(params.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash((self.msgid, self.params))

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {dict(self.params)!r})"

    def render(self) -> str:
        """This text in the current language (see `i18n.current_language`).

        A date placeholder may name what the date does in its sentence, `{date:until}`,
        `{date:since}`, `{date:on}`, `{date:as_of}` (`i18n.DATE_FORMS`), in the msgid or
        only in one language's translation: the Latvian "līdz {date:until}" then reads
        "līdz 2027. gada 17. februārim", where the English needs no form.
        """
        if not self.msgid:
            return ""
        return _FORMATTER.vformat(i18n.gettext(self.msgid), (), dict(self.params))

    def to_json(self) -> str:
        return json.dumps(_encode(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str) -> Text:
        """Raises ValueError when `data` is not a serialised Text."""
        try:
            decoded = _decode(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
            raise ValueError("not a serialised Text") from exc
        if not isinstance(decoded, Text):
            raise ValueError("not a serialised Text")
        return decoded


EMPTY = Text("")


def joined(first: Text, second: Text) -> Text:
    """Two sentences one after the other (the format string is not a msgid: nothing to
    translate in it)."""
    return Text("{first} {second}", first=first, second=second)


def render(value: Text | str) -> str:
    """A Text in the current language; a plain string (an older stored title) as it is."""
    return value.render() if isinstance(value, Text) else value


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Render in `language` (Latvian when it is not one we speak) inside the block."""
    token = i18n.current_language.set(
        language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    )
    try:
        yield
    finally:
        i18n.current_language.reset(token)


def render_in(value: Text | str, language: str) -> str:
    with in_language(language):
        return render(value)


class _TextFormatter(string.Formatter):
    """str.format with our values: each formatted for the current language, a date in the
    form its placeholder names."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, ReportingPeriod):
            return i18n.format_period(value.first, value.months, form=format_spec or None)
        if format_spec and isinstance(value, date):
            return i18n.format_date(value, form=format_spec)
        if format_spec:
            raise ValueError(f"a format is only for dates: {format_spec!r}")
        return _format(value)


_FORMATTER = _TextFormatter()


def _format(value: Param) -> str:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, Text):
        return value.render()
    if isinstance(value, Money):
        return i18n.format_money(value.amount)
    if isinstance(value, bool):  # not a number to format
        return str(value)
    if isinstance(value, int):
        return str(value)  # years and counts: never "2 025"
    if isinstance(value, Decimal):
        return i18n.format_number(value)
    if isinstance(value, date):
        return i18n.format_date(value)
    if isinstance(value, ReportingPeriod):
        return i18n.format_period(value.first, value.months)
    return value


def _encode(value: Param) -> Any:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, Text):
        return {"m": value.msgid, "p": {name: _encode(v) for name, v in value.params}}
    if isinstance(value, Money):
        return {"eur": str(value.amount)}
    if isinstance(value, ReportingPeriod):
        return {"period": value.first.isoformat(), "months": value.months}
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _decode(value: Any) -> Param:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        raise TypeError("unexpected value")
    if "m" in value:
        params = value.get("p", {})
        if not isinstance(value["m"], str) or not isinstance(params, Mapping):
            raise TypeError("unexpected text")
        return Text(value["m"], **{str(k): _decode(v) for k, v in params.items()})
    if "eur" in value:
        return Money(Decimal(value["eur"]))
    if "period" in value:
        try:
            return ReportingPeriod(date.fromisoformat(value["period"]), int(value["months"]))
        except ValueError as exc:
            raise TypeError("bad period") from exc
    if "int" in value:
        return int(value["int"])
    if "dec" in value:
        return Decimal(value["dec"])
    if "date" in value:
        try:
            return date.fromisoformat(value["date"])
        except ValueError as exc:
            raise TypeError("bad date") from exc
    raise TypeError("unexpected value")
