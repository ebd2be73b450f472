"""JSON from clients, decoded with a bound on nesting.

Python's `json` (and msgspec) decode one nesting level per recursion: 40 KB of `[` exhausts
the interpreter's recursion limit and the decoder raises `RecursionError`, which no route
expects (a 500). Nothing a client legitimately sends nests deeply, so every route that reads
JSON from a client decodes through `decode_json`, or calls `ensure_shallow` before a typed
decoder: too deep a body is refused before any decoder recurses, with an error that says so.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from backend.lib.errors import BadInput

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects accepted. A GraphQL request with variables, a push
subscription and an e-address message nest at most four or five levels."""

# A JSON string, escapes included; an unterminated one runs to the end. Possessive, so one
# pass over the body whatever it holds (no backtracking, no failed attempt per quote).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]++")
_STEP = tuple(1 if byte in b"[{" else -1 if byte in b"]}" else 0 for byte in range(256))


class InvalidJSON(BadInput):
    code = "invalid_json"


class JSONTooDeep(InvalidJSON):
    code = "json_too_deep"

    def __init__(self, max_depth: int) -> None:
        super().__init__(f"The JSON nests arrays and objects more than {max_depth} levels deep.")


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in `raw` (brackets inside strings do not
    count). Exact for valid JSON; for anything else a number no decoder would get past."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", raw))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def ensure_shallow(raw: bytes | str, max_depth: int = MAX_DEPTH) -> None:
    """Raise `JSONTooDeep` when `raw` nests deeper than `max_depth`."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    # Depth cannot exceed the number of opening brackets: most bodies need no scan at all.
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return
    if nesting_depth(data) > max_depth:
        raise JSONTooDeep(max_depth)


def decode_json(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The decoded body; `InvalidJSON` (400) when it is not UTF-8 JSON or nests too deeply."""
    ensure_shallow(raw, max_depth)
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidJSON("The body is not valid JSON.") from None
