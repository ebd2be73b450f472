"""Search quality: mean reciprocal rank and recall@k over a set of judged queries.

A judged query names every entry that answers it; its rank is the position of the first of
them in the results (fillers included when the index holds them, since on the real portal
those places belong to other real services), and it counts as 0 beyond `DEPTH`. Used by the
quality test and by `vienuviet bench search_engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import msgspec
import msgspec.yaml

from backend.catalogue.search.index import SearchIndex

DEPTH: Final = 20


class JudgedQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    q: str
    lang: str
    expect: list[str]


@dataclass(frozen=True)
class Judgement:
    query: JudgedQuery
    rank: int | None  # 1-based rank of the first expected entry, None beyond DEPTH
    top: tuple[str, ...]  # the first three results, to read why it failed


@dataclass(frozen=True)
class Quality:
    judgements: tuple[Judgement, ...]

    @property
    def mrr(self) -> float:
        if not self.judgements:
            return 0.0
        return sum(1 / j.rank for j in self.judgements if j.rank) / len(self.judgements)

    def recall_at(self, k: int) -> float:
        if not self.judgements:
            return 0.0
        return sum(1 for j in self.judgements if j.rank and j.rank <= k) / len(self.judgements)

    def report(self) -> str:
        """One line per query, worst first: rank, query, expected, what came first."""
        ordered = sorted(self.judgements, key=lambda j: -(j.rank or DEPTH + 1))
        lines = [
            f"{j.rank or '-':>3}  [{j.query.lang}] {j.query.q!r}  expect {j.query.expect}  "
            f"got {list(j.top)}"
            for j in ordered
        ]
        lines.append(f"MRR {self.mrr:.3f}, recall@3 {self.recall_at(3):.3f}")
        return "\n".join(lines)


def load_queries(path: Path) -> list[JudgedQuery]:
    return msgspec.yaml.decode(path.read_bytes(), type=list[JudgedQuery])


def evaluate(index: SearchIndex, queries: Sequence[JudgedQuery], *, fillers: bool) -> Quality:
    """Judge every query against `index`; `fillers` lets filler entries take places."""
    judgements = []
    for query in queries:
        hits = index.search(query.q, query.lang, DEPTH, include_filler=fillers)
        ids = [hit.id for hit in hits]
        rank = next((n for n, found in enumerate(ids, start=1) if found in query.expect), None)
        judgements.append(Judgement(query, rank, tuple(ids[:3])))
    return Quality(tuple(judgements))
