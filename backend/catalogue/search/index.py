"""The catalogue's search index: built once from documents, answering queries from memory.

A query is searched in each language view its script allows (`query.views_for`); a
document's score is its best view's, so an English query is judged on the English texts and
never adds up coincidences across translations. Within a view, a document's score is the sum
of its best alternative per query word, times the share of the query's words it matched
(`scoring.score`): a document matching "bērna pabalsts" in both words ranks above one that only
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
    expand,
    known_words,
    query_words,
    views_for,
)
from backend.catalogue.search.scoring import score
from backend.catalogue.search.snippets import (
    Marked,
    PassageSource,
    mark,
    passage,
    passage_source,
    screen_for,
)
from backend.catalogue.search.synonyms import Vocabulary, load_vocabulary

MAX_QUERY_WORDS: Final = 12  # a pasted paragraph is searched by its first words
MAX_LIMIT: Final = 100
MAX_PASSAGE_SOURCES: Final = 4096  # documents' sentence lists kept for result passages


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
        self._filler = [document.filler for document in self.documents]
        # Each document's passage candidates per language, gathered when first shown.
        self._passages: dict[tuple[int, Language], PassageSource] = {}
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
            scores = score(view, groups)
            if not best:
                best = scores
                continue
            for document, value in scores.items():
                if value > best.get(document, 0.0):
                    best[document] = value
        filler = self._filler
        # (score, -number): on equal scores the earlier document (real entries come first).
        top = heapq.nlargest(
            limit,
            (
                (value, -document)
                for document, value in best.items()
                if include_filler or not filler[document]
            ),
        )
        terms = matched_terms.get(reader, set())
        screen = screen_for(terms)
        return [self._hit(-n, value, terms, screen, reader) for value, n in top]

    def _hit(
        self, number: int, value: float, terms: set[str], screen: re.Pattern[str], reader: Language
    ) -> Hit:
        document = self.documents[number]
        title = document.title.get(reader) or document.title.get("lv", document.id)
        key = (number, reader)
        source = self._passages.get(key)
        if source is None:
            if len(self._passages) >= MAX_PASSAGE_SOURCES:
                self._passages.clear()  # a bound, not a policy: rebuilt on the next look
            source = self._passages[key] = passage_source(document, reader)
        return Hit(
            id=document.id,
            kind=document.kind,
            score=round(value, 4),
            title=mark(title, terms, reader, screen),
            snippet=passage(source, terms, reader, screen),
            filler=document.filler,
        )
