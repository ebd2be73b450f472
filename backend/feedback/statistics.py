"""The public usefulness figures: per section, with small counts suppressed.

A section with fewer than `MIN_COUNT` answers shows neither its counts nor its share, so that
nobody can be singled out (and a share of three answers says little anyway). Pure: the page
handler passes in the counts the database gave.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backend.feedback.service import Counts

MIN_COUNT = 10
OTHER = "other"


@dataclass(frozen=True)
class Row:
    section: str
    """A known section's key, or `other` for every page outside the known sections."""
    yes: int | None
    no: int | None
    share_useful: float | None
    """Percent of answers that said yes, 0-100; None when suppressed."""

    @property
    def suppressed(self) -> bool:
        return self.yes is None


def row(section: str, yes: int, no: int) -> Row:
    if yes + no < MIN_COUNT:
        return Row(section, None, None, None)
    return Row(section, yes, no, 100 * yes / (yes + no))


def usefulness(counts: Iterable[Counts], known: Mapping[str, str]) -> tuple[list[Row], Row]:
    """Rows in the order of `known` (sections without answers left out), sections outside
    it pooled as `other` at the end, and the row for all answers together."""
    pooled: dict[str, list[int]] = {}
    for c in counts:
        key = c.key if c.key in known else OTHER
        totals = pooled.setdefault(key, [0, 0])
        totals[0] += c.yes
        totals[1] += c.no
    order = [k for k in known if k in pooled] + ([OTHER] if OTHER in pooled else [])
    rows = [row(k, *pooled[k]) for k in order]
    everything = row("all", sum(v[0] for v in pooled.values()), sum(v[1] for v in pooled.values()))
    return rows, everything
