"""Adding up a query's groups in one language view: the per-query hot loop.

A document's score is the sum, over the query's groups, of its best alternative's
weight × idf × saturation (`postings.Postings`), times the share of the query's counted groups
it matched: a document matching "bērna pabalsts" in both words ranks above one that only says
"bērns" many times. Documents matched only through uncounted groups (word pairs, multi-word
synonyms) keep a fraction of their score. Written for speed in plain Python: the common case of
a group with one single-word alternative adds straight into the totals.
"""

from __future__ import annotations

from backend.catalogue.search.postings import LanguageView
from backend.catalogue.search.query import Alternative, Group


def score(view: LanguageView, groups: list[Group]) -> dict[int, float]:
    """Each matching document's score in `view`."""
    totals: dict[int, float] = {}
    matched: dict[int, int] = {}
    counted = sum(1 for group in groups if group.counts) or 1
    for group in groups:
        alternatives = group.alternatives
        if len(alternatives) == 1 and len(alternatives[0].terms) == 1:
            postings = view.postings[alternatives[0].terms[0]]
            weight = alternatives[0].weight * (group.idf or postings.idf)
            get = totals.get
            for document, saturation in zip(postings.documents, postings.saturations, strict=True):
                totals[document] = get(document, 0.0) + weight * saturation
            if group.counts:
                count = matched.get
                for document in postings.documents:
                    matched[document] = count(document, 0) + 1
            continue
        best = _best_alternative(view, group)
        get = totals.get
        for document, value in best.items():
            totals[document] = get(document, 0.0) + value
        if group.counts:
            count = matched.get
            for document in best:
                matched[document] = count(document, 0) + 1
    share = 1 / counted
    unmatched = 1 / (counted + 1)
    count = matched.get
    return {
        document: total * (count(document, 0) * share or unmatched)
        for document, total in totals.items()
    }


def _best_alternative(view: LanguageView, group: Group) -> dict[int, float]:
    best: dict[int, float] = {}
    get = best.get
    for alternative in group.alternatives:
        if len(alternative.terms) > 1:
            _phrase(view, alternative, group.idf, best)
            continue
        postings = view.postings[alternative.terms[0]]
        weight = alternative.weight * (group.idf or postings.idf)
        for document, saturation in zip(postings.documents, postings.saturations, strict=True):
            value = weight * saturation
            if value > get(document, 0.0):
                best[document] = value
    return best


def _phrase(
    view: LanguageView, alternative: Alternative, ceiling: float | None, best: dict[int, float]
) -> None:
    """A multi-word alternative: the mean of its words' scores, so documents with every word
    score highest; no word counts as rarer than the group's own (`ceiling`)."""
    sums: dict[int, float] = {}
    for known in alternative.terms:
        postings = view.postings[known]
        idf = postings.idf if ceiling is None else min(postings.idf, ceiling)
        for document, saturation in zip(postings.documents, postings.saturations, strict=True):
            sums[document] = sums.get(document, 0.0) + idf * saturation
    share = alternative.weight / len(alternative.terms)
    for document, total in sums.items():
        value = total * share
        if value > best.get(document, 0.0):
            best[document] = value
