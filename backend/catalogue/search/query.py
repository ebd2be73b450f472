"""From what a person typed to weighted alternatives the index can score, per language.

Every query word becomes a *group* of alternatives; a document scores a group by its best
alternative, so a word found exactly and also through its family or a typo is counted once.
The alternatives, from surest to least sure:

- the word's own term (its stem): weight 1;
- an everyday word's formal synonyms (`synonyms.yaml`): 0.85; a multi-word target ("vadītāja
  apliecība") scores as the mean of its words, so documents with all of them come first;
- the Latvian debitive ("jādeklarē" → "deklarē"): 0.9;
- other members of the word's family ("deklarēt" → "deklarēšana, deklarācija"): 0.7;
- for a word the vocabulary does not know: the nearest terms within the typo distance (0.75
  for one edit, 0.5 for two), and terms it begins (a compound's head: "transport" →
  "transportlīdzeklis"), 0.5.

Synonym keys of several words ("bez darba") add a group of their own, and so do two adjacent
query words that stand next to each other in a title, keyword or heading ("jauna pase",
"passport renewal"); neither counts towards how many of the query's words a document matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from backend.catalogue.search.analysis import Language, term
from backend.catalogue.search.postings import LanguageView, pair
from backend.catalogue.search.synonyms import Phrase, Vocabulary
from backend.catalogue.search.text import is_cyrillic, words

EXACT: Final = 1.0
DEBITIVE: Final = 0.9
SYNONYM: Final = 0.85
TYPO: Final = {1: 0.75, 2: 0.5}
FAMILY: Final = 0.7
PREFIX: Final = 0.5
PAIR: Final = 1.0
PREFIX_LIMIT: Final = 12
TYPO_LIMIT: Final = 6


@dataclass(frozen=True, slots=True)
class Alternative:
    terms: Phrase
    weight: float


@dataclass(frozen=True, slots=True)
class Group:
    """One query word (or a multi-word synonym) and the ways a document may match it."""

    alternatives: tuple[Alternative, ...]
    counts: bool = True  # whether it counts towards the share of the query a document matched
    # The rarity every alternative is scored with (see `_word_group`); None: each its own.
    idf: float | None = None


def query_words(query: str) -> list[str]:
    """The folded words of a query, one-letter words dropped."""
    return [word for word in words(query) if len(word) > 1]


def known_words(folded: list[str], views: Iterable[LanguageView]) -> frozenset[str]:
    """The query words some language's vocabulary has, as they are or by their family."""
    return frozenset(
        word
        for word in folded
        for view in views
        if term(word, view.language) in view or view.family(term(word, view.language))
    )


def views_for(query_words: list[str]) -> tuple[Language, ...]:
    """The languages worth searching: Latvian and English for Latin words, Russian for
    Cyrillic ones (Russian texts also carry Latin names such as "SIA" or "eID")."""
    latin = any(not is_cyrillic(word) for word in query_words)
    cyrillic = any(is_cyrillic(word) for word in query_words)
    return (("lv", "en") if latin else ()) + (("ru",) if cyrillic else ())


def expand(
    folded: list[str],
    view: LanguageView,
    vocabulary: Vocabulary,
    known: frozenset[str] = frozenset(),
) -> list[Group]:
    """The groups of a query (already split by `query_words`) in one language's view.
    Words in `known` are in another language's vocabulary: they are not typos, so they are
    not corrected here into this language's look-alikes ("pase" is no misspelt "case")."""
    language = view.language
    content = [w for w in folded if not vocabulary.is_stopword(language, w)] or folded
    if language != "ru":
        content = [w for w in content if not is_cyrillic(w)]
    stems = [term(word, language) for word in content]
    groups = [
        _word_group(word, stem, view, vocabulary, word in known)
        for word, stem in zip(content, stems, strict=True)
    ]
    groups += _phrase_synonyms(stems, view, vocabulary)
    groups += _pairs(stems, view)
    return [group for group in groups if group.alternatives]


def _pairs(stems: list[str], view: LanguageView) -> list[Group]:
    """Adjacent query words found next to each other in a title, keyword or heading."""
    found = {pair(a, b, view.language) for a, b in pairwise(stems) if a != b}
    return [Group((Alternative((key,), PAIR),), counts=False) for key in found if key in view]


def _word_group(
    word: str, stem: str, view: LanguageView, vocabulary: Vocabulary, known: bool
) -> Group:
    found: dict[Phrase, float] = {}

    def offer(terms: Phrase, weight: float) -> None:
        if all(known in view for known in terms) and weight > found.get(terms, 0.0):
            found[terms] = weight

    offer((stem,), EXACT)
    for target in vocabulary.targets(view.language, (stem,)):
        offer(target, SYNONYM)
    if stem not in view and view.language == "lv" and word.startswith("ja") and len(word) > 6:
        offer((term(word[2:], "lv"),), DEBITIVE)  # "jādeklarē" is "deklarē" that must be done
    for relative in view.family(stem):
        offer((relative,), FAMILY)
    if stem not in view and not found and not known:
        for near, distance in view.typos.near(stem)[:TYPO_LIMIT]:
            offer((near,), TYPO[distance])
            for relative in view.family(near):
                offer((relative,), TYPO[distance] * FAMILY)
        if len(stem) >= 4:
            for longer in view.starting_with(stem, PREFIX_LIMIT):
                offer((longer,), PREFIX)
    # All alternatives of one word are scored with one inverse document frequency: the word's
    # own when the vocabulary has it, else the commonest alternative's (as Lucene blends
    # synonyms). Otherwise a rare relative ("deklarācija", 51 entries) would outscore the word
    # itself ("deklarēto", 284 entries) in the same place, and a typo's rarest look-alike win.
    single = [view.postings[t[0]].idf for t in found if len(t) == 1]
    idf = view.postings[stem].idf if stem in view else min(single, default=None)
    return Group(tuple(Alternative(terms, weight) for terms, weight in found.items()), idf=idf)


def _phrase_synonyms(stems: list[str], view: LanguageView, vocabulary: Vocabulary) -> list[Group]:
    longest = vocabulary.longest_key(view.language)
    groups: list[Group] = []
    for size in range(2, longest + 1):
        for start in range(len(stems) - size + 1):
            key = tuple(stems[start : start + size])
            targets = [
                Alternative(target, SYNONYM)
                for target in vocabulary.targets(view.language, key)
                if all(known in view for known in target)
            ]
            if targets:
                groups.append(Group(tuple(targets), counts=False))
    return groups
