"""GraphQL object types derived from registry records (integrations.registries.record).

    @from_record(models.Vehicle)
    class Vehicle: ...

makes a Strawberry type `Vehicle` with one field per record field, in the record's order, of
the matching GraphQL type (`Text`/`PersonalCode` → `String`, `Money` → `Decimal`, `date` →
`Date`, `tuple[X, ...]` → `[X!]`, a nested record → the type derived from it earlier, `X | None`
→ nullable), described by the record field's `Meta(description=...)`. Resolvers return the
records themselves: Strawberry reads each field off the record, so nothing is copied.

What the class body declares overrides the record, field by field, where the GraphQL shape
differs: a `Literal` field names its GraphQL enum (`kind: PropertyKind`; its values must be the
`Literal`'s, checked here), a field may carry its own `strawberry.field(description=...)`.
`fields=` picks and orders the fields shown (the rest stay out of the API), `name=` renames the
type and `description=` describes it.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import msgspec
import strawberry

from integrations.registries.record import Money, Record

C = TypeVar("C", bound=type)

_DERIVED: dict[type[Record], type] = {}
"""Each record's GraphQL type, so a record nested in another maps to it."""

_MISSING = object()


def _description(hint: Any) -> str | None:
    if get_origin(hint) is Annotated:
        for extra in get_args(hint)[1:]:
            if isinstance(extra, msgspec.Meta) and extra.description:
                return str(extra.description)
        return _description(get_args(hint)[0])
    return None


def _graphql(hint: Any, where: str) -> Any:
    """The Python annotation Strawberry turns into the GraphQL type of a record field."""
    origin = get_origin(hint)
    if origin is Annotated:
        return _graphql(get_args(hint)[0], where)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        if len(members) != 1:
            raise TypeError(f"{where}: only `X | None` unions map to GraphQL")
        return _graphql(members[0], where) | None
    if origin is tuple:
        item, ellipsis = get_args(hint)
        if ellipsis is not Ellipsis:
            raise TypeError(f"{where}: only `tuple[X, ...]` maps to a GraphQL list")
        return list[_graphql(item, where)]  # type: ignore[misc]
    if origin is Literal:
        raise TypeError(f"{where}: a Literal field needs its GraphQL enum in the class body")
    if hint is Money:
        return Decimal
    if isinstance(hint, type) and issubclass(hint, Record):
        if hint not in _DERIVED:
            raise TypeError(f"{where}: derive {hint.__name__}'s GraphQL type first")
        return _DERIVED[hint]
    if hint in (str, int, bool, date, Decimal):
        return hint
    raise TypeError(f"{where}: no GraphQL type for {hint!r}")


def _literal_values(hint: Any) -> set[Any] | None:
    origin = get_origin(hint)
    if origin is Annotated:
        return _literal_values(get_args(hint)[0])
    if origin in (Union, types.UnionType):
        found = [v for a in get_args(hint) if (v := _literal_values(a)) is not None]
        return found[0] if found else None
    if origin is Literal:
        return set(get_args(hint))
    return None


def _enum_of(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in get_args(annotation):
        if (found := _enum_of(arg)) is not None:
            return found
    return None


def from_record(
    record: type[Record],
    *,
    name: str | None = None,
    description: str | None = None,
    fields: tuple[str, ...] | None = None,
) -> Callable[[C], C]:
    """Derive a Strawberry type from `record`; see the module's docstring."""
    hints = typing.get_type_hints(record, include_extras=True)
    chosen = fields if fields is not None else record.__struct_fields__
    unknown = set(chosen) - set(record.__struct_fields__)
    if unknown:
        raise TypeError(f"{record.__name__} has no field(s) {sorted(unknown)}")

    def derive(cls: C) -> C:
        module = sys.modules[cls.__module__]
        declared: dict[str, Any] = dict(inspect.get_annotations(cls))
        resolved = typing.get_type_hints(cls, vars(module)) if declared else {}
        annotations: dict[str, Any] = {}
        for field in chosen:
            where = f"{record.__name__}.{field}"
            if field in declared:
                annotation = resolved[field]
                allowed = _literal_values(hints[field])
                enum = _enum_of(annotation)
                if allowed is not None and (enum is None or {m.value for m in enum} != allowed):
                    raise TypeError(f"{where}: the GraphQL enum must have the Literal's values")
            else:
                annotation = _graphql(hints[field], where)
                text = _description(hints[field])
                if text is not None and getattr(cls, field, _MISSING) is _MISSING:
                    setattr(cls, field, strawberry.field(description=text))
            annotations[field] = annotation
        extra = set(declared) - set(chosen)
        if extra:
            raise TypeError(f"{cls.__name__} declares field(s) not shown: {sorted(extra)}")
        cls.__annotations__ = annotations
        derived = strawberry.type(cls, name=name, description=description)
        _DERIVED[record] = derived
        return derived

    return derive
