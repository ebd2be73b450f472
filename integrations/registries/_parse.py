"""Strict readers for registry JSON: a missing field or a wrong type raises `MalformedPayload`
naming the field, never quoting the value, so a model is either whole or not built at all.

Unknown fields are ignored (registries add fields; that must not break us). JSON `null` is
accepted only where a reader is called with `opt_…`. Booleans are never numbers, numbers never
booleans, dates are `YYYY-MM-DD`, money is a decimal string (`"-12.50"`), never a float.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from backend.lib.identifiers import normalise_personal_code
from integrations.registries.errors import MalformedPayload

T = TypeVar("T")
S = TypeVar("S", bound=str)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")


class Reader:
    """A JSON object with the path that led to it, for error messages."""

    def __init__(self, data: object, path: str = "$") -> None:
        if not isinstance(data, dict):
            raise MalformedPayload(path, "expected an object")
        self._data: dict[str, Any] = data
        self.path = path

    def _raw(self, key: str, *, optional: bool) -> Any:
        if key not in self._data:
            raise MalformedPayload(f"{self.path}.{key}", "missing")
        value = self._data[key]
        if value is None and not optional:
            raise MalformedPayload(f"{self.path}.{key}", "must not be null")
        return value

    def _typed(self, key: str, kind: type[T], what: str, *, optional: bool) -> T | None:
        value = self._raw(key, optional=optional)
        if value is None:
            return None
        # bool is an int subclass: a registry sending true for a count is wrong, not 1.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise MalformedPayload(f"{self.path}.{key}", f"expected {what}")
        return value

    def text(self, key: str) -> str:
        value = self._typed(key, str, "a string", optional=False)
        assert value is not None
        if not value.strip():
            raise MalformedPayload(f"{self.path}.{key}", "must not be empty")
        return value

    def personal_code(self, key: str) -> str:
        try:
            return normalise_personal_code(self.text(key))
        except ValueError:
            raise MalformedPayload(f"{self.path}.{key}", "not a personal code") from None

    def opt_personal_code(self, key: str) -> str | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.personal_code(key)

    def opt_text(self, key: str) -> str | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.text(key)

    def integer(self, key: str) -> int:
        value = self._typed(key, int, "an integer", optional=False)
        assert value is not None
        return value

    def flag(self, key: str) -> bool:
        value = self._typed(key, bool, "a boolean", optional=False)
        assert value is not None
        return value

    def day(self, key: str) -> date:
        text = self._typed(key, str, "a date string", optional=False)
        assert text is not None
        if not _DATE.match(text):
            raise MalformedPayload(f"{self.path}.{key}", "expected a YYYY-MM-DD date")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise MalformedPayload(f"{self.path}.{key}", "not a calendar date") from None

    def opt_day(self, key: str) -> date | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.day(key)

    def money(self, key: str) -> Decimal:
        text = self._typed(key, str, "a decimal string", optional=False)
        assert text is not None
        if not _MONEY.match(text):
            raise MalformedPayload(f"{self.path}.{key}", "expected a decimal amount")
        return Decimal(text)

    def opt_money(self, key: str) -> Decimal | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.money(key)

    def choice(self, key: str, allowed: tuple[S, ...]) -> S:
        value = self.text(key)
        for option in allowed:
            if value == option:
                return option
        raise MalformedPayload(f"{self.path}.{key}", "not one of the allowed values")

    def opt_choice(self, key: str, allowed: tuple[S, ...]) -> S | None:
        if self._raw(key, optional=True) is None:
            return None
        return self.choice(key, allowed)

    def opt_obj(self, key: str) -> Reader | None:
        value = self._raw(key, optional=True)
        return None if value is None else Reader(value, f"{self.path}.{key}")

    def records(self, key: str, parse: Callable[[Reader], T]) -> tuple[T, ...]:
        """Each element must be an object; `parse` turns its reader into a model."""
        value = self._typed(key, list, "a list", optional=False)
        assert value is not None
        return tuple(parse(Reader(item, f"{self.path}.{key}[{i}]")) for i, item in enumerate(value))

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._typed(key, list, "a list", optional=False)
        assert value is not None
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise MalformedPayload(f"{self.path}.{key}[{i}]", "expected a string")
        return tuple(value)


def items(parse: Callable[[Reader], T]) -> Callable[[object], tuple[T, ...]]:
    """A parser for the collection envelope every registry uses: `{"items": [...]}`."""

    def parse_items(data: object) -> tuple[T, ...]:
        return Reader(data).records("items", parse)

    return parse_items


def one(parse: Callable[[Reader], T]) -> Callable[[object], T]:
    """A parser for a single top-level object."""

    def parse_one(data: object) -> T:
        return parse(Reader(data))

    return parse_one
