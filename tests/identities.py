"""Synthetic personal codes for tests that create people: drawn from ~24 million valid codes
and never the same twice in one run, so two people made by one test (or by two tests sharing a
database) cannot collide on the personal code's unique constraint."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from backend.lib.identifiers import make_personal_code

_issued: set[str] = set()


def unique_personal_code(born: date | None = None) -> str:
    """A valid old-format code nobody else in this run holds (born on `born` if given)."""
    while True:
        birth = born or date(1930, 1, 1) + timedelta(days=secrets.randbelow(27_000))
        code = make_personal_code(birth, secrets.randbelow(980))
        if code not in _issued:
            _issued.add(code)
            return code
