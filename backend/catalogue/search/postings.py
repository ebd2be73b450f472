"""One language's inverted index, scored ahead of time with BM25F.

Each document's texts in one language are split into fields (`documents.Field`); a term's
frequency in each field is weighted and length-normalised per field, the weighted sum is
saturated once (BM25F: Robertson, Zaragoza and Taylor, "Simple BM25 extension to multiple
weighted fields", 2004) and multiplied by the term's inverse document frequency. The catalogue
changes only when content is published, so every (term, document) score is computed when the
index is built: a query only adds precomputed numbers from the postings of its terms, and
never looks at a document that shares no term with it.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from backend.catalogue.search.analysis import Language, root, term
from backend.catalogue.search.documents import Field
from backend.catalogue.search.text import clauses, words
from backend.catalogue.search.typos import TypoIndex

FIELDS: Final = tuple(Field)
# How much one occurrence in each field counts, and how strongly a field's length dilutes it
# (b: 0 = not at all, 1 = fully). Titles and keywords are short and chosen by the writers;
# the body is long and mentions many things in passing.
WEIGHTS: Final = {
    Field.TITLE: 6.0,
    Field.KEYWORDS: 4.0,
    Field.HEADINGS: 2.5,
    Field.SUMMARY: 2.0,
    Field.BODY: 1.0,
    Field.DETAILS: 0.5,
}
LENGTH_NORMALISATION: Final = {
    Field.TITLE: 0.5,
    Field.KEYWORDS: 0.5,
    Field.HEADINGS: 0.6,
    Field.SUMMARY: 0.75,
    Field.BODY: 0.75,
    Field.DETAILS: 0.75,
}
K1: Final = 2.0  # term-frequency saturation: the tenth mention adds less than the first


# Fields whose adjacent words are also indexed as pairs: there word order carries meaning
# ("jauna pase", "passport renewal") and the texts are short.
PHRASE_FIELDS: Final = frozenset({Field.TITLE, Field.KEYWORDS, Field.HEADINGS})


def pair(first: str, second: str, language: Language) -> str:
    """The index term for two adjacent words' terms: their roots in alphabetical order, so
    "nozaudēta pase" and "pasi nozaudēju" meet. The space keeps it apart from word terms."""
    a, b = sorted((root(first, language), root(second, language)))
    return f"{a} {b}"


def analyse_pairs(text: str, language: Language, stopwords: frozenset[str]) -> list[str]:
    """The pair terms of a short text: adjacent words within a phrase, stop words skipped."""
    found: list[str] = []
    for clause in clauses(text):
        terms = [term(w, language) for w in words(clause) if len(w) > 1 and w not in stopwords]
        found += [pair(a, b, language) for a, b in pairwise(terms) if a != b]
    return found


def analyse(text: str, language: Language) -> list[str]:
    """The index terms of a text: hyphenated words whole and by parts, one-letter words
    dropped ("e" of "e-adrese", the "a" of "1. a)")."""
    return [term(word, language) for word in words(text, joined=True) if len(word) > 1]


@dataclass(frozen=True, slots=True)
class Postings:
    """The documents that contain one term. `saturations` are each document's saturated
    field-weighted frequency, `idf` the term's inverse document frequency: a document's score
    for the term is their product (kept apart so a query multiplies once per term, not once
    per document, by idf and its own weight)."""

    idf: float
    documents: array[int]  # document numbers, ascending
    saturations: array[float]


class LanguageView:
    """The postings of one language with what query expansion needs of its vocabulary: exact
    terms, word families (roots), terms near a misspelt word, and terms by prefix."""

    def __init__(self, language: Language, postings: dict[str, Postings]) -> None:
        self.language = language
        self.postings = postings
        self.vocabulary = sorted(known for known in postings if " " not in known)
        families: dict[str, list[str]] = {}
        for known in self.vocabulary:
            families.setdefault(root(known, language), []).append(known)
        self._families = {key: tuple(terms) for key, terms in families.items() if len(terms) > 1}
        self.typos = TypoIndex(self.vocabulary)

    def __contains__(self, known: str) -> bool:
        return known in self.postings

    def frequency(self, known: str) -> int:
        """How many documents contain the term."""
        found = self.postings.get(known)
        return 0 if found is None else len(found.documents)

    def family(self, known: str) -> tuple[str, ...]:
        """The vocabulary's terms of the same derivational root (the term's word family)."""
        return self._families.get(root(known, self.language), ())

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Up to `limit` vocabulary terms longer than `prefix` that begin with it, the most
        frequent first (compounds: "auto" → "autovaditaj", "transport" → "transportlidzekl")."""
        start = bisect.bisect_right(self.vocabulary, prefix)
        found: list[str] = []
        for known in self.vocabulary[start:]:
            if not known.startswith(prefix):
                break
            found.append(known)
        found.sort(key=lambda known: -self.frequency(known))
        return found[:limit]


def _average(values: list[int]) -> float:
    return max(sum(values) / len(values), 1.0) if values else 1.0


def build_view(
    language: Language,
    field_texts: Sequence[Sequence[tuple[Field, str]]],
    stopwords: frozenset[str] = frozenset(),
) -> LanguageView:
    """The scored postings of one language; `field_texts[n]` are document n's (field, text).
    Texts of `PHRASE_FIELDS` also yield pair terms (`analyse_pairs`)."""
    field_number = {field: n for n, field in enumerate(FIELDS)}
    # Many entries share sentences (fillers by construction, real ones in their steps and
    # requirements): each distinct text is analysed once per build.
    analysed: dict[str, tuple[int, Counter[str]]] = {}
    documents: list[list[tuple[int, Counter[str]]]] = []
    lengths: list[list[int]] = []
    for texts in field_texts:
        length = [0] * len(FIELDS)
        counted: list[tuple[int, Counter[str]]] = []
        for field, text in texts:
            found = analysed.get(text)
            if found is None:
                terms = analyse(text, language)
                pairs = analyse_pairs(text, language, stopwords) if field in PHRASE_FIELDS else []
                found = analysed[text] = (len(terms), Counter(terms + pairs))
            n = field_number[field]
            length[n] += found[0]
            counted.append((n, found[1]))
        documents.append(counted)
        lengths.append(length)
    count = max(len(documents), 1)
    # A field's average length over the documents that have it: most entries have no keywords
    # or headings, and counting them as empty would make every real keyword list look long.
    average = [_average([row[n] for row in lengths if row[n]]) for n in range(len(FIELDS))]
    weights = [WEIGHTS[field] for field in FIELDS]
    b = [LENGTH_NORMALISATION[field] for field in FIELDS]
    numbers: dict[str, array[int]] = {}
    saturations: dict[str, array[float]] = {}
    for document, counted in enumerate(documents):
        # What one occurrence in each field is worth in this document (BM25F's per-field
        # weight over the field's length normalisation).
        worth = [
            weights[n] / (1 - b[n] + b[n] * lengths[document][n] / average[n])
            for n in range(len(FIELDS))
        ]
        weighted: dict[str, float] = {}
        for n, counter in counted:
            for known, tf in counter.items():
                weighted[known] = weighted.get(known, 0.0) + tf * worth[n]
        for known, x in weighted.items():
            if known not in numbers:
                numbers[known] = array("i")
                saturations[known] = array("d")
            numbers[known].append(document)
            saturations[known].append(x * (K1 + 1) / (K1 + x))
    postings = {
        known: Postings(
            math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5)), docs, saturations[known]
        )
        for known, docs in numbers.items()
    }
    return LanguageView(language, postings)
