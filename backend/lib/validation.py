"""Validation failures in words a client's developer reads without knowing our stack.

msgspec (which checks our request types, and Litestar's parameters) says what went wrong in
its own terms: Python type names, JSONPath (`Expected `str | null`, got `int` - at
`$.recipient.id``). `explain` turns such a message into a sentence naming the field and what
was expected ("`recipient.id` must be a string or null, not an integer."). Anything it does not
recognise becomes "… is not valid." rather than msgspec's text, so no internal wording leaks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_EXPECTED = re.compile(
    r"^Expected `(?P<expected>[^`]+)`(?P<bound>[^,]*)(?:, got `(?P<got>[^`]+)`)?$"
)
_FIELD = re.compile(r"^Object (?P<kind>missing required|contains unknown) field `(?P<name>[^`]+)`$")
_BOUND = re.compile(r"^ (?:of length )?(?P<op>[<>]=?) (?P<n>-?\d+(?:\.\d+)?)$")

TYPE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "object": "an object",
    "array": "an array",
    "uuid": "a UUID",
    "datetime": "a date and time (RFC 3339)",
    "date": "a date (YYYY-MM-DD)",
    "time": "a time (HH:MM:SS)",
    "bytes": "base64-encoded bytes",
}
_OPS = {"<": "less than", "<=": "at most", ">": "more than", ">=": "at least"}


def _types(spec: str, *, drop_null: bool) -> str:
    names = [name.strip() for name in spec.split("|")]
    if drop_null and len(names) > 1:
        names = [name for name in names if name != "null"]
    return " or ".join(TYPE_WORDS.get(name, "a value of the documented type") for name in names)


def _bound(text: str, expected: str) -> str:
    """msgspec's " of length >= 1" or " >= 0" in words."""
    found = _BOUND.match(text)
    if not found:
        return ""
    limit = f"{_OPS[found['op']]} {found['n']}"
    if "length" not in text:
        return f", {limit}"
    unit = "character" if expected == "str" else "item"
    return f" of {limit} {unit}{'' if found['n'] == '1' else 's'}"


def _label(path: str, name: str | None = None) -> str:
    full = ".".join(part for part in (path.lstrip("."), name) if part)
    return f"`{full}`"


def explain(
    message: str,
    *,
    whole: str = "The value",
    choices: Mapping[str, Sequence[str]] | None = None,
    drop_null: bool = False,
) -> str:
    """`message` (msgspec's) as a sentence. `whole` names the value itself when the failure
    is at its top level; `choices` lists the allowed values of enumerated fields by dotted
    path; `drop_null` leaves "null" out of expectations where it cannot be written (query
    strings, headers)."""
    parts = _AT.match(message.strip())
    what, path = (parts["what"], parts["path"] or "") if parts else (message, "")
    subject = _label(path) if path else whole
    allowed = (choices or {}).get(path.lstrip("."))
    return (
        _about_field(what, path, whole)
        or _about_type(what, subject, allowed, drop_null=drop_null)
        or _about_value(what, subject, allowed)
        or f"{subject} is not valid."
    )


def _about_field(what: str, path: str, whole: str) -> str | None:
    field = _FIELD.match(what)
    if not field:
        return None
    name = _label(path, field["name"])
    if field["kind"] == "missing required":
        return f"{name} is missing."
    return f"{name} is not a field of {_label(path) if path else whole.lower()}."


def _about_type(
    what: str, subject: str, allowed: Sequence[str] | None, *, drop_null: bool
) -> str | None:
    expected = _EXPECTED.match(what)
    if not expected:
        return None
    wanted = _types(expected["expected"], drop_null=drop_null)
    wanted += _bound(expected["bound"], expected["expected"])
    got = f", not {_types(expected['got'], drop_null=False)}" if expected["got"] else ""
    one_of = f" (one of: {', '.join(allowed)})" if allowed else ""
    return f"{subject} must be {wanted}{got}{one_of}."


def _about_value(what: str, subject: str, allowed: Sequence[str] | None) -> str | None:
    if what.startswith("Invalid enum value"):
        if allowed:
            return f"{subject} must be one of: {', '.join(allowed)}."
        return f"{subject} is not an allowed value."
    if what == "Invalid UUID":
        return f"{subject} must be a UUID."
    if what.startswith("Invalid RFC3339"):
        kind = what.rsplit(" ", 1)[-1]
        return f"{subject} must be {TYPE_WORDS.get(kind, 'a date or time (RFC 3339)')}."
    return None
