"""The catalogue's search index: built once from documents, answering queries from memory.

A query is searched in each language view its script allows (`query.views_for`); a
document's score is its best view's, so an English query is judged on the English texts and
never adds up coincidences across translations. Within a view, a document's score is the sum
of its best alternative per query word, times the share of the query's words it matched
(`COVERAGE`): a document matching "bērna pabalsts" in both words ranks above one that only
says "bērns" many times.

Filler entries (generated to give the index the real portal's size) are scored like any
other document, so they compete honestly for the top places; they are left out of the
results unless asked for.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from backend.catalogue.search.analysis import LANGUAGES, Language, as_language
from backend.catalogue.search.documents import Document, Field, Kind
from backend.catalogue.search.postings import LanguageView, build_view
from backend.catalogue.search.query import (
    Alternative,
    Group,
    expand,
    known_words,
    query_words,
    views_for,
)
from backend.catalogue.search.snippets import Marked, mark, passage, screen_for
from backend.catalogue.search.synonyms import Vocabulary, load_vocabulary

COVERAGE: Final = 1.0  # exponent on the matched share of the query's words
MAX_QUERY_WORDS: Final = 12  # a pasted paragraph is searched by its first words
MAX_LIMIT: Final = 100


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: the entry, its score, and its title and passage in the reader's
    language with the matched words' spans."""

    id: str
    kind: Kind
    score: float
    title: Marked
    snippet: Marked
    filler: bool = False


class SearchIndex:
    """An immutable in-memory index over catalogue documents (build a new one to change)."""

    def __init__(self, documents: Iterable[Document], vocabulary: Vocabulary | None = None):
        self.documents: tuple[Document, ...] = tuple(documents)
        self.vocabulary = vocabulary or load_vocabulary()
        self._position = {document.id: n for n, document in enumerate(self.documents)}
        if len(self._position) != len(self.documents):
            raise ValueError("document ids must be unique")
        texts: dict[Language, list[list[tuple[Field, str]]]] = {
            language: [[] for _ in self.documents] for language in LANGUAGES
        }
        for n, document in enumerate(self.documents):
            for text in document.all_texts():
                texts[text.language][n].append((text.field, text.text))
        self.views: dict[Language, LanguageView] = {
            language: build_view(
                language, texts[language], self.vocabulary.stopwords.get(language, frozenset())
            )
            for language in LANGUAGES
        }

    def __len__(self) -> int:
        return len(self.documents)

    def search(
        self, query: str, lang: str = "lv", limit: int = 10, include_filler: bool = False
    ) -> list[Hit]:
        """The best `limit` entries for `query` (in any of the three languages), shown in
        `lang`; fillers only with `include_filler`. An empty query finds nothing."""
        reader = as_language(lang)
        folded = query_words(query)[:MAX_QUERY_WORDS]
        limit = max(0, min(limit, MAX_LIMIT))
        if not folded or limit == 0:
            return []
        best: dict[int, float] = {}
        matched_terms: dict[Language, set[str]] = {}
        languages = views_for(folded)
        known = known_words(folded, [self.views[language] for language in languages])
        for language in languages:
            view = self.views[language]
            groups = expand(folded, view, self.vocabulary, known)
            matched_terms[language] = {
                t for g in groups for a in g.alternatives for t in a.terms if " " not in t
            }
            for document, score in _score(view, groups).items():
                if score > best.get(document, 0.0):
                    best[document] = score
        candidates = (
            (score, document)
            for document, score in best.items()
            if include_filler or not self.documents[document].filler
        )
        top = heapq.nsmallest(limit, candidates, key=lambda item: (-item[0], item[1]))
        terms = matched_terms.get(reader, set())
        screen = screen_for(terms)
        return [self._hit(self.documents[n], score, terms, screen, reader) for score, n in top]

    def _hit(
        self,
        document: Document,
        score: float,
        terms: set[str],
        screen: re.Pattern[str],
        reader: Language,
    ) -> Hit:
        title = document.title.get(reader) or document.title.get("lv", document.id)
        return Hit(
            id=document.id,
            kind=document.kind,
            score=round(score, 4),
            title=mark(title, terms, reader),
            snippet=passage(document, terms, reader, screen),
            filler=document.filler,
        )


def _score(view: LanguageView, groups: list[Group]) -> dict[int, float]:
    """Each document's score in one view: per group its best alternative, summed, times the
    share of counted groups it matched."""
    totals: dict[int, float] = {}
    matched: dict[int, int] = {}
    counted = sum(1 for group in groups if group.counts) or 1
    for group in groups:
        best: dict[int, float] = {}
        for alternative in group.alternatives:
            if len(alternative.terms) == 1:
                postings = view.postings[alternative.terms[0]]
                weight = alternative.weight * (group.idf or postings.idf)
                for document, saturation in zip(
                    postings.documents, postings.saturations, strict=True
                ):
                    value = weight * saturation
                    if value > best.get(document, 0.0):
                        best[document] = value
            else:
                _phrase(view, alternative, group.idf, best)
        for document, value in best.items():
            totals[document] = totals.get(document, 0.0) + value
            if group.counts:
                matched[document] = matched.get(document, 0) + 1
    return {
        document: total * (matched.get(document, 0) / counted) ** COVERAGE
        if matched.get(document)
        else total / (counted + 1)
        for document, total in totals.items()
    }


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
