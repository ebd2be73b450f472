"""The product's search bar, measured on the held-out set (`heldout_queries.yaml`): 70 queries
written blind, by someone who had not read the engine or the development set, as people type
them. MRR ≥ 0.8 with the fillers in the index and served as the public search serves (fillers
hidden). The set is for measuring only: never tune the engine, synonyms or keywords to it."""

from __future__ import annotations

from pathlib import Path

import msgspec.yaml

from backend.catalogue.files import load_content
from backend.catalogue.filler import fillers
from backend.catalogue.search import SearchIndex, from_catalogue
from backend.catalogue.search.evaluation import JudgedQuery, evaluate

HELDOUT = Path(__file__).parent / "heldout_queries.yaml"
BAR = 0.8


class HeldOutQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    query: str
    lang: str
    expected: list[str]


def test_mean_reciprocal_rank_on_the_held_out_set_meets_the_bar() -> None:
    catalogue = load_content()
    services, situations = fillers(len(catalogue.services), len(catalogue.life_situations))
    index = SearchIndex(
        from_catalogue(
            [*catalogue.services.values(), *services],
            [*catalogue.life_situations.values(), *situations],
            catalogue.institutions,
        )
    )
    raw = msgspec.yaml.decode(HELDOUT.read_bytes(), type=list[HeldOutQuery])
    queries = [JudgedQuery(q=r.query, lang=r.lang, expect=r.expected) for r in raw]
    assert len(queries) == 70
    quality = evaluate(index, queries, fillers=False)
    assert quality.mrr >= BAR, quality.report()
