"""Declaring a setting once: its variable, type, default, bounds and documentation.

A settings group is a frozen dataclass made by `@settings_group`, each field declared with
`setting("PUSH_TTL_S", default=86400, ge=0, doc="…")`. The declaration rides in the field's
metadata; `read_group` parses the environment from it and `backend.settings.example` writes
`.env.example` from it, so a variable is named, typed, bounded and explained in one place.

The type is the field's annotation (`int`, `float`, `str`, `bool`, `Path`, `date`, or one of
them `| None`); anything else names its own `parse`. An empty variable counts as unset, as
`.env.example` promises. Bounds and checks apply to what the environment gives; defaults are
code and trusted.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any, Literal, TypeVar, dataclass_transform, overload

T = TypeVar("T")
G = TypeVar("G")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


class Invalid(ValueError):
    """Raised by a parser: the message continues after the variable's name ("must be …")."""


@dataclass(frozen=True)
class Context:
    """What a few settings depend on, read before the rest: development mode and VAR_DIR."""

    debug: bool
    var_dir: Path


Parse = Callable[[str, Context], Any]


@dataclass(frozen=True)
class Setting:
    """One environment variable: what `setting()` records in its field's metadata."""

    env: str
    """The variable; in a family member's, a `<PLACEHOLDER>` stands for the member's key."""
    doc: str
    default: Any = MISSING
    default_from: Callable[[Context], Any] | None = None
    """A default that depends on the context (a path under VAR_DIR, a generated key)."""
    parse: Parse | None = None
    ge: float | None = None
    le: float | None = None
    choices: tuple[str, ...] | None = None
    schemes: tuple[str, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    unit: Literal["ms"] | None = None
    """`ms`: the variable is whole milliseconds, the attribute seconds."""

    def name(self, key: str | None = None) -> str:
        """The variable's name; a family member's with `key` in place of its placeholder."""
        if key is None or "<" not in self.env:
            return self.env
        head, _, rest = self.env.partition("<")
        return head + key.upper() + rest.partition(">")[2]

    def read(self, env: Mapping[str, str], ctx: Context, kind: Any, name: str) -> Any:
        """The value of variable `name` in `env`; None when unset (the caller's default)."""
        raw = env.get(name)
        if raw is None or raw == "":
            return None
        try:
            value = self.parse(raw, ctx) if self.parse else _parse_as(kind, raw, self.unit)
            self._check(value)
        except Invalid as exc:
            raise SettingsError(f"{name} {exc}") from None
        return value / 1000 if self.unit == "ms" else value

    def _check(self, value: Any) -> None:
        if self.ge is not None and value < self.ge:
            raise Invalid("must not be negative" if self.ge == 0 else f"must be at least {self.ge}")
        if self.le is not None and value > self.le:
            raise Invalid(f"must be at most {self.le}")
        if self.choices is not None and value not in self.choices:
            raise Invalid(f"must be one of {', '.join(self.choices)}; got {value!r}")
        if self.schemes is not None and not value.startswith(self.schemes):
            *first, last = self.schemes
            raise Invalid(f"must start with {', '.join(first)} or {last}")
        if self.min_length is not None and len(value) < self.min_length:
            raise Invalid(f"must be at least {self.min_length} characters")
        if self.max_length is not None and len(value) > self.max_length:
            raise Invalid(f"must be at most {self.max_length} characters")


@dataclass(frozen=True)
class Family:
    """A group repeated once per key (`DASHBOARD_<SOURCE>_TTL_S` for each registry)."""

    group: type
    keys: tuple[str, ...]
    defaults: Mapping[str, Any]
    """Per key, an instance of `group` whose values are that member's defaults."""
    doc: str


@overload
def setting(
    env: str,
    *,
    default: T,
    doc: str,
    parse: Parse | None = None,
    ge: float | None = None,
    le: float | None = None,
    choices: tuple[str, ...] | None = None,
    schemes: tuple[str, ...] | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    unit: Literal["ms"] | None = None,
    secret: bool = False,
) -> T: ...
@overload
def setting(
    env: str,
    *,
    default_from: Callable[[Context], Any] | None = None,
    doc: str,
    parse: Parse | None = None,
    ge: float | None = None,
    le: float | None = None,
    choices: tuple[str, ...] | None = None,
    schemes: tuple[str, ...] | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    unit: Literal["ms"] | None = None,
    secret: bool = False,
) -> Any: ...
def setting(
    env: str,
    *,
    default: Any = MISSING,
    default_from: Callable[[Context], Any] | None = None,
    doc: str,
    parse: Parse | None = None,
    ge: float | None = None,
    le: float | None = None,
    choices: tuple[str, ...] | None = None,
    schemes: tuple[str, ...] | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    unit: Literal["ms"] | None = None,
    secret: bool = False,
) -> Any:
    """Declare the field of a settings group read from variable `env`.

    `default` is both the dataclass default and what an unset variable means; a field with
    `default_from(context)` instead (or no default) must be given when the group is built by
    hand. `doc` is the sentence `.env.example` shows above the variable. A `secret` (a key, a
    password, a URL that may carry one) is left out of the group's repr, so that a traceback
    or a debug log never shows it.
    """
    declared = Setting(
        env=env,
        doc=doc,
        default=default,
        default_from=default_from,
        parse=parse,
        ge=ge,
        le=le,
        choices=choices,
        schemes=schemes,
        min_length=min_length,
        max_length=max_length,
        unit=unit,
    )
    metadata = MappingProxyType({"setting": declared})
    if default is MISSING:
        return field(repr=not secret, metadata=metadata)
    return field(default=default, repr=not secret, metadata=metadata)


def family(group: type, *, keys: tuple[str, ...], default: Mapping[str, Any], doc: str) -> Any:
    """Declare a field holding one `group` per key, its variables named by key."""
    declared = Family(group, keys, default, doc)
    return field(default_factory=lambda: default, metadata=MappingProxyType({"family": declared}))


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(setting, family))
def settings_group(cls: type[G]) -> type[G]:
    """A frozen, keyword-only dataclass whose fields are declared with `setting()`.

    Its docstring's first line titles its section of `.env.example`; the rest introduces it.
    """
    return dataclass(frozen=True, kw_only=True)(cls)


def declarations(group: type) -> tuple[tuple[dataclasses.Field[Any], Setting | Family], ...]:
    """Each field of `group` with its declaration, in the order they are written."""
    return _declarations(group)


@cache
def _declarations(group: type) -> tuple[tuple[dataclasses.Field[Any], Setting | Family], ...]:
    found: list[tuple[dataclasses.Field[Any], Setting | Family]] = []
    for f in dataclasses.fields(group):
        declared = f.metadata.get("setting") or f.metadata.get("family")
        if declared is None:
            raise TypeError(f"{group.__name__}.{f.name} is not declared with setting()")
        found.append((f, declared))
    return tuple(found)


@cache
def field_types(group: type) -> dict[str, Any]:
    """The annotations of `group`, evaluated (they are strings under `from __future__`)."""
    return typing.get_type_hints(group)


def read_group(
    group: type[G],
    env: Mapping[str, str],
    ctx: Context,
    *,
    key: str | None = None,
    defaults: Any = None,
) -> G:
    """Build `group` from `env`; `key` and `defaults` when it is one member of a family."""
    values: dict[str, Any] = {}
    for f, declared in declarations(group):
        if isinstance(declared, Family):
            values[f.name] = MappingProxyType(
                {
                    member: read_group(
                        declared.group, env, ctx, key=member, defaults=declared.defaults[member]
                    )
                    for member in declared.keys
                }
            )
        else:
            values[f.name] = _value(group, f, declared, env, ctx, key=key, defaults=defaults)
    return group(**values)


def read_field(group: type, name: str, env: Mapping[str, str], ctx: Context) -> Any:
    """The value of field `name` of `group` alone: from `env`, else its default."""
    (f,) = (f for f in dataclasses.fields(group) if f.name == name)
    return _value(group, f, f.metadata["setting"], env, ctx)


def _value(
    group: type,
    f: dataclasses.Field[Any],
    declared: Setting,
    env: Mapping[str, str],
    ctx: Context,
    *,
    key: str | None = None,
    defaults: Any = None,
) -> Any:
    value = declared.read(env, ctx, field_types(group)[f.name], declared.name(key))
    if value is not None:
        return value
    if defaults is not None:
        return getattr(defaults, f.name)
    if declared.default_from is not None:
        return declared.default_from(ctx)
    if declared.default is MISSING:
        raise SettingsError(f"{declared.name(key)} is required")
    return declared.default


def _parse_as(kind: Any, raw: str, unit: str | None) -> Any:
    """`raw` as the annotated type: the built-in kinds every setting may use without `parse`."""
    if isinstance(kind, UnionType):
        (kind,) = (member for member in typing.get_args(kind) if member is not NoneType)
    if unit == "ms":
        kind = int
    if kind is str:
        return raw
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise Invalid(f"must be a whole number, got {raw!r}") from None
    if kind is float:
        try:
            value = float(raw)
        except ValueError:
            raise Invalid(f"must be a number, got {raw!r}") from None
        if not math.isfinite(value):
            raise Invalid(f"must be a finite number, got {raw!r}")
        return value
    if kind is Path:
        return Path(raw)
    if kind is date:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise Invalid(f"must be a date, YYYY-MM-DD; got {raw!r}") from None
    raise TypeError(f"no parser for {kind!r}: give the setting a parse=")
