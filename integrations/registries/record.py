"""Registry records: one typed model per record, decoded straight from the registry's JSON.

A record is a frozen `msgspec.Struct` subclassing `Record`, declared once in its registry's
`models.py`. That one declaration is the contract the client checks (`one`/`items` decode the
answer's bytes with `msgspec.json`), the shape the dashboard caches (`to_wire`/`convert`), and
the source of the record's GraphQL type (`backend/dashboard/graphql/derive.py`). A test holds
each record to its registry's `openapi.yaml` (tests/unit/test_registry_records.py).

Decoding is strict: a missing field, a wrong type, a `null` where none is allowed, an empty
string, a value outside a `Literal`, a date not `YYYY-MM-DD`, money that is not a decimal string
(`"-12.50"`; never a float) all raise `MalformedPayload` naming the field (`$.items[0].plate`),
never quoting the value, so a record is whole or not built at all. Unknown fields are ignored
(registries add fields; that must not break us). Every field is required, nullable ones
included (the contracts send them as `null`).

Field types to use:
- `Text`: a non-blank string (what most registry strings are);
- `date`, `int`, `bool`, `tuple[X, ...]`, `Literal[...]`, another record, `X | None`;
- `Money`: a decimal amount sent as a string, read as `Decimal`;
- a personal code: `Text`, and name the field in `PERSONAL_CODES` (checked and normalised to
  `DDMMYY-CNNNX`).
A field's GraphQL description, when it has one, is written once, here:
`Annotated[Text, Meta(description=...)]`.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, TypeVar, cast

import msgspec

from backend.lib.identifiers import normalise_personal_code
from integrations.registries.errors import MalformedPayload

R = TypeVar("R", bound="Record")
T = TypeVar("T")


class _NonBlank:
    """Marks `Text` fields, which `Record.__post_init__` checks are not all blanks."""


NON_BLANK = _NonBlank()

Text = Annotated[str, msgspec.Meta(min_length=1), NON_BLANK]
"""A string with at least one non-blank character. (Not a `Meta(pattern=...)`: msgspec runs a
pattern through Python's `re` per string, which made decoding 5× slower.)"""

_MONEY = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")

if TYPE_CHECKING:
    Money = Decimal
else:

    class Money(Decimal):
        """A decimal amount sent as a string (`"-12.50"`). A `Decimal` everywhere but in the
        decoder, which only knows a type of its own (`_dec_hook`) by it: msgspec alone would
        take a JSON float or `"1e3"` for a Decimal too."""

        __slots__ = ()


class Record(msgspec.Struct, frozen=True):
    """The base of every registry record (frozen: equal records compare and hash equal)."""

    PERSONAL_CODES: ClassVar[tuple[str, ...]] = ()
    """Fields holding a personal code (or null): checked and written `DDMMYY-CNNNX`."""

    def __post_init__(self) -> None:
        kind = type(self)
        checks = _CHECKS.get(kind)
        if checks is None:
            checks = _CHECKS[kind] = _checks_of(kind)
        for name in checks.non_blank:
            value = getattr(self, name)
            if value is not None and value.isspace():
                raise ValueError(f"{name}|must not be empty")
        for name in self.PERSONAL_CODES:
            value = getattr(self, name)
            if value is None:
                continue
            try:
                msgspec.structs.force_setattr(self, name, normalise_personal_code(value))
            except ValueError:
                # The field's name goes in front; `_problem` moves it into the path.
                raise ValueError(f"{name}|not a personal code") from None


@dataclass(frozen=True)
class _Checks:
    non_blank: tuple[str, ...]


_CHECKS: dict[type[Record], _Checks] = {}


def _checks_of(kind: type[Record]) -> _Checks:
    """What `__post_init__` checks on a record type (worked out once per type)."""
    hints = typing.get_type_hints(kind, include_extras=True)

    def marked(hint: Any) -> bool:
        """A `Text` field, or `Text | None` (not a list of texts: those are checked apart)."""
        origin = typing.get_origin(hint)
        if origin is Annotated:
            return any(extra is NON_BLANK for extra in typing.get_args(hint)[1:])
        if origin in (typing.Union, types.UnionType):
            return any(marked(arg) for arg in typing.get_args(hint))
        return False

    return _Checks(non_blank=tuple(f for f in kind.__struct_fields__ if marked(hints[f])))


class Items(msgspec.Struct, Generic[T], frozen=True):
    """The collection envelope every registry uses: `{"items": [...]}`."""

    items: tuple[T, ...]


def _dec_hook(kind: type, value: Any) -> Any:
    if kind is Money:
        if not isinstance(value, str):
            raise TypeError("expected a decimal string")
        if not _MONEY.match(value):
            raise ValueError("expected a decimal amount")
        return Money(value)
    raise NotImplementedError


def _enc_hook(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise NotImplementedError


_KINDS = {
    "str": "a string",
    "int": "an integer",
    "bool": "a boolean",
    "array": "a list",
    "object": "an object",
    "date": "a date string",
}


_PROBLEMS: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda m: m.endswith("got `null`"), "must not be null"),
    (lambda m: m.startswith("Expected `str` of length >= 1"), "must not be empty"),
    (lambda m: m.startswith("Invalid enum value"), "not one of the allowed values"),
    (lambda m: m.startswith("Invalid RFC3339 encoded date"), "expected a YYYY-MM-DD date"),
    (lambda m: m == "expected a decimal string", "expected a decimal string"),
    (lambda m: m == "expected a decimal amount", "expected a decimal amount"),
)
"""msgspec's messages in our words (`_dec_hook`'s are ours already)."""


def _problem(error: msgspec.ValidationError) -> MalformedPayload:
    """msgspec's message as a `MalformedPayload` naming the field. msgspec quotes a value only
    for an enum (`Invalid enum value 'lost'`); no message kept here quotes one."""
    message, _, at = str(error).partition(" - at `")
    path = at.rstrip("`") or "$"
    if message.startswith("Object missing required field `"):
        field = message.removeprefix("Object missing required field `").rstrip("`")
        return MalformedPayload(f"{path}.{field}", "missing")
    field, bar, problem = message.partition("|")
    if bar and field.isidentifier():  # from Record.__post_init__: the field, then the problem
        return MalformedPayload(f"{path}.{field}", problem)
    for matches, words in _PROBLEMS:
        if matches(message):
            return MalformedPayload(path, words)
    if message.startswith("Expected `"):
        wanted = message.removeprefix("Expected `").split("`", 1)[0].removesuffix(" | null")
        return MalformedPayload(path, f"expected {_KINDS.get(wanted, 'another type')}")
    return MalformedPayload(path, "invalid")


@cache
def _decoder(kind: Hashable) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(kind, dec_hook=_dec_hook)


def decode(body: bytes, kind: type[T]) -> T:
    """`body` (registry JSON) as `kind`; raises `MalformedPayload`."""
    result: T = _decode_with(_decoder(cast(Hashable, kind)), body)
    return result


def _decode_with(decoder: msgspec.json.Decoder[Any], body: bytes) -> Any:
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as error:
        raise _problem(error) from None
    except msgspec.DecodeError:  # not JSON, truncated, nested beyond msgspec's limit
        raise MalformedPayload("$", "not JSON") from None


@dataclass(frozen=True)
class RecordDecoder(Generic[R]):
    """Decodes an answer that is one `record`, or a collection of them (`{"items": [...]}`);
    says which, so a test can hold it to the endpoint's contract."""

    record: type[R]
    collection: bool

    def __post_init__(self) -> None:
        kind = items_type(self.record) if self.collection else self.record
        object.__setattr__(self, "_decoder", _decoder(kind))

    def __call__(self, body: bytes) -> Any:
        decoded = _decode_with(self._decoder, body)  # type: ignore[attr-defined]
        return decoded.items if self.collection else decoded


@cache
def items_type(record: type[R]) -> type[Items[R]]:
    """`Items[record]`, made once (subscripting anew per call costs more than decoding)."""
    return Items[record]  # type: ignore[valid-type]


def one(record: type[R]) -> Callable[[bytes], R]:
    """A decoder for an answer that is one record."""
    return RecordDecoder(record, collection=False)


def items(record: type[R]) -> Callable[[bytes], tuple[R, ...]]:
    """A decoder for a collection answer, `{"items": [...]}`."""
    return RecordDecoder(record, collection=True)


def convert(data: object, kind: type[T]) -> T:
    """Already-parsed JSON (a cached answer) as `kind`, as strictly as `decode`."""
    try:
        result: T = msgspec.convert(data, kind, dec_hook=_dec_hook)
    except msgspec.ValidationError as error:
        raise _problem(error) from None
    return result


def to_wire(value: object) -> Any:
    """Records (or lists, tuples of them, or None) as the registry's own JSON shapes: dates
    `YYYY-MM-DD`, money as decimal strings, tuples as lists."""
    return _lists(msgspec.to_builtins(value, enc_hook=_enc_hook))


def _lists(value: Any) -> Any:
    """msgspec keeps tuples as tuples; JSON (and the contract) knows lists."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value
