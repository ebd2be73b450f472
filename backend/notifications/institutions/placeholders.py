"""Typed placeholders in institution templates: `{name:type}`, pure (no I/O).

A template text names its placeholders with a type — `text`, `date`, `amount`, `url` — so a
value is checked before anything is queued, and the same value reads right in every language
(a date in the reader's form, an amount in euros). `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

MAX_TEXT_VALUE = 200
MAX_URL_VALUE = 500
MAX_PLACEHOLDERS = 20
_NAME = r"[a-z][a-z0-9_]{0,39}"
_TOKEN = re.compile(r"\{\{|\}\}|\{(?P<body>[^{}]*)\}|[{}]")
_PLACEHOLDER = re.compile(rf"(?P<name>{_NAME}):(?P<type>[a-z]+)")


class PlaceholderType(StrEnum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"
    URL = "url"


class TemplateSyntaxError(ValueError):
    """A template text that cannot be parsed; the message says where and why."""


@dataclass(frozen=True)
class ValueProblem:
    name: str
    problem: str
    """`missing`, `unknown` (not in the template) or `invalid` (wrong type)."""
    detail: str


def parse(text: str) -> dict[str, PlaceholderType]:
    """The placeholders of `text` by name; raises TemplateSyntaxError on a malformed one or
    a name used with two types."""
    found: dict[str, PlaceholderType] = {}
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        body = match.group("body")
        if body is None:
            raise TemplateSyntaxError(
                f"A lone '{token}' at character {match.start() + 1}: write '{token * 2}' for "
                "a brace, or {name:type} for a placeholder."
            )
        placeholder = _PLACEHOLDER.fullmatch(body)
        if placeholder is None:
            raise TemplateSyntaxError(
                f"'{{{body}}}' is not a placeholder: write {{name:type}}, a name of lower-case "
                "letters, digits and _ and a type of text, date, amount or url."
            )
        name, kind = placeholder.group("name"), placeholder.group("type")
        try:
            typed = PlaceholderType(kind)
        except ValueError:
            raise TemplateSyntaxError(
                f"'{{{body}}}' has the unknown type '{kind}': use text, date, amount or url."
            ) from None
        if found.setdefault(name, typed) is not typed:
            raise TemplateSyntaxError(f"The placeholder '{name}' is used with two types.")
    if len(found) > MAX_PLACEHOLDERS:
        raise TemplateSyntaxError(f"A template may have at most {MAX_PLACEHOLDERS} placeholders.")
    return found


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT_VALUE:
        return None
    if any(ord(c) < 32 and c not in "\t" for c in value):
        return None
    return value


def _date(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _amount(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
        return None
    if number != number.quantize(Decimal("0.01")):
        return None  # euro cents: more decimals would be rounded silently
    return str(number.quantize(Decimal("0.01")))


def _url(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_URL_VALUE or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return None
    return value


_CHECKS: Mapping[PlaceholderType, tuple[Callable[[Any], str | None], str]] = {
    PlaceholderType.TEXT: (_text, f"a non-empty text of at most {MAX_TEXT_VALUE} characters"),
    PlaceholderType.DATE: (_date, "a date as YYYY-MM-DD"),
    PlaceholderType.AMOUNT: (_amount, "an amount in euros with at most 2 decimals"),
    PlaceholderType.URL: (_url, f"an https:// address of at most {MAX_URL_VALUE} characters"),
}


def check_values(
    placeholders: Mapping[str, PlaceholderType], values: Mapping[str, Any]
) -> tuple[dict[str, str], list[ValueProblem]]:
    """Values in their stored form (ISO dates, amounts with 2 decimals) and every problem:
    missing, unknown and ill-typed values, each named."""
    cleaned: dict[str, str] = {}
    found: list[ValueProblem] = []
    for name, kind in placeholders.items():
        if name not in values:
            found.append(ValueProblem(name, "missing", f"'{name}' needs a value ({kind.value})."))
            continue
        check, expected = _CHECKS[kind]
        value = check(values[name])
        if value is None:
            found.append(ValueProblem(name, "invalid", f"'{name}' must be {expected}."))
        else:
            cleaned[name] = value
    for name in values:
        if name not in placeholders:
            found.append(
                ValueProblem(name, "unknown", f"'{name}' is not a placeholder of this template.")
            )
    return cleaned, found


Formatter = Callable[[PlaceholderType, str], str]


def plain(kind: PlaceholderType, value: str) -> str:
    """Values as stored (the formatter for tests and previews without a language)."""
    return value


def render(text: str, values: Mapping[str, str], formatter: Formatter = plain) -> str:
    """`text` with each placeholder replaced by its value, formatted by `formatter`.
    The text must have parsed; a value missing here renders empty (checked earlier)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        placeholder = _PLACEHOLDER.fullmatch(match.group("body") or "")
        if placeholder is None:
            return token
        name = placeholder.group("name")
        return formatter(PlaceholderType(placeholder.group("type")), values.get(name, ""))

    return _TOKEN.sub(replace, text)
