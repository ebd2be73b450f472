"""Registry models back into the registries' own JSON shapes, for the cache.

A cached answer is stored exactly as the registry's contract writes it (dates as `YYYY-MM-DD`,
money as decimal strings, collections as `{"items": [...]}`) and read back through the same
strict readers the clients use, so a damaged or outdated cache entry is refused like a
malformed answer, never half-believed.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from backend.dashboard.sources import Part


def to_wire(value: Any) -> Any:
    """A model (or list, tuple, date, Decimal, scalar) as contract JSON."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def part_to_wire(part: Part, value: Any) -> Any:
    if part.collection:
        return {"items": to_wire(list(value or ()))}
    return None if value is None else to_wire(value)
