"""Bounded-depth JSON decoding (backend/lib/jsonbody.py): the depth is measured outside
strings, too deep a body is refused before any decoder recurses, and the scan stays linear
for hostile input."""

from __future__ import annotations

import json

import pytest

from backend.lib.jsonbody import (
    MAX_DEPTH,
    InvalidJSON,
    JSONTooDeep,
    decode_json,
    ensure_shallow,
    nesting_depth,
)


@pytest.mark.parametrize(
    ("raw", "depth"),
    [
        (b"1", 0),
        (b"[]", 1),
        (b'{"a": [1, {"b": [2]}]}', 4),
        (b'{"query": "{ me { dashboard { sources { status } } } }"}', 1),
        (b'["[[[", "]]]", "\\"[[["]', 1),
        (b'{"a": "\\\\"}', 1),
        (b"[" * 40_000, 40_000),
    ],
)
def test_depth_counts_brackets_outside_strings(raw: bytes, depth: int) -> None:
    assert nesting_depth(raw) == depth


def test_a_body_at_the_limit_decodes_and_one_level_more_is_refused() -> None:
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert decode_json(at_limit.encode()) == json.loads(at_limit)
    with pytest.raises(JSONTooDeep) as refused:
        decode_json(("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode())
    assert refused.value.status_code == 400
    assert refused.value.message == (
        f"The JSON nests arrays and objects more than {MAX_DEPTH} levels deep."
    )


def test_forty_kilobytes_of_brackets_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(JSONTooDeep):
        decode_json(b"[" * 40_000)
    with pytest.raises(JSONTooDeep):
        ensure_shallow('{"a": ' + "{" * 40_000)


def test_malformed_json_is_invalid_json() -> None:
    for raw in (b"", b"{", b"\xff", b'{"a": 1,}'):
        with pytest.raises(InvalidJSON) as refused:
            decode_json(raw)
        assert refused.value.code == "invalid_json"


def test_hostile_strings_are_scanned_in_one_pass() -> None:
    """Many quotes and escapes and no closing quote. A backtracking scan retries from every
    quote: hours at this size, so the suite's timeout fails it; one pass takes milliseconds."""
    assert nesting_depth(b'"' + b'\\"' * 200_000) == 0
    assert nesting_depth(b'["' * 100_000) == 50_000
