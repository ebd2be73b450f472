"""A light Latvian stemmer for search, on folded words (lower case, no diacritics).

Neither PostgreSQL nor SQLite full-text search, nor Snowball, has a Latvian stemmer, and
Latvian is richly inflected: "bērns, bērna, bērnam, bērnu, bērni, bērniem" are one word to a
reader. This stemmer follows Kreslins's light suffix-stripping algorithm (as in Lucene's
LatvianStemmer): strip the longest noun, adjective or verb ending that leaves enough of the
word (a minimum count of vowels per ending), then undo the consonant alternation the ending
brought ("zeme" → gen. pl. "zemju": the labial + "j" loses its "j"). Because people type
without diacritics, it works on folded words, so "ā"/"a", "š"/"s", "ļ"/"l" are already one
letter and most of Kreslins's alternations ("brāļa" → "brāl") vanish with folding.

`stem` is inflectional: every case and number of one word meet at one stem ("pase, pasi,
pases, pasē" → "pas"; "dzīvesvieta, dzīvesvietu" → "dzivesviet"). `root` goes one step
further, through derivation: the verbal noun "-šana", the loan-word "-ācija" and the verb's
theme vowel ("deklarēt, deklarēšana, deklarācija" → "deklar"). The index scores a root match
below a stem match, so "deklarēt dzīvesvietu" prefers the residence declaration but still
finds "deklarācija".
"""

from __future__ import annotations

from typing import Final

_VOWELS: Final = frozenset("aeiou")

# (ending, vowels the word must have more than, whether the ending palatalises the stem).
# Longest first; folded, so "ām" and "am", "ās" and "as" are one ending each. Kreslins's
# definite-adjective endings "-ajam, -ajā, -ajās …" are left out: folded, they are the agent
# nouns' "vadītājam, vadītāja, vadītājas" (of "vadītājs"), which people search far more often.
_ENDINGS: Final[tuple[tuple[str, int, bool], ...]] = (
    ("ties", 1, False),  # reflexive infinitive: pieteikties, reģistrēties
    ("iem", 2, True),  # dat. pl. of the 1st and 2nd declension: bērniem, brāļiem
    ("ais", 2, False),
    ("ai", 2, False),
    ("ei", 2, False),
    ("am", 1, False),
    ("em", 1, False),
    ("im", 1, False),
    ("um", 1, False),
    ("us", 1, True),
    ("as", 1, False),
    ("es", 1, False),
    ("os", 1, True),
    ("ij", 1, False),  # valstij
    ("is", 1, False),
    ("ie", 1, False),
    ("u", 1, True),
    ("a", 1, True),
    ("i", 1, True),
    ("e", 1, False),
    ("o", 1, False),
    ("s", 0, False),
)

# Derivational suffixes `root` removes, after an inflectional stem: the verbal noun
# ("deklarēšana" → "deklarēš-"), loan-word nouns ("reģistrācija", "kompensācija").
_DERIVATIONS: Final = ("acij", "icij", "ecij", "ucij", "san")

_MIN_STEM: Final = 3
_MIN_ROOT: Final = 4


def _vowel_count(word: str) -> int:
    return sum(1 for char in word if char in _VOWELS)


def _unpalatalise(stem: str) -> str:
    """Undo the alternation a palatalising ending brought, as far as folding left one:
    a labial consonant followed by "j" (zemju → zem, upju → up)."""
    if len(stem) > _MIN_STEM and stem[-1] == "j" and stem[-2] in "pbmvf":
        return stem[:-1]
    return stem


def stem(word: str) -> str:
    """The inflectional stem of a folded Latvian word; short words and numbers unchanged."""
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    vowels = _vowel_count(word)
    for ending, min_vowels, palatalises in _ENDINGS:
        if word.endswith(ending) and vowels > min_vowels and len(word) >= len(ending) + _MIN_STEM:
            stemmed = word[: -len(ending)]
            return _unpalatalise(stemmed) if palatalises else stemmed
    return word


def root(stemmed: str) -> str:
    """The derivational root of a stem: "deklaresan", "deklaracij", "deklaret", "deklarej" →
    "deklar". Used to widen a query to a word's family, scored below the stem itself."""
    word = stemmed
    for suffix in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_ROOT:
            word = word[: -len(suffix)]
            break
    else:
        if len(word) > _MIN_ROOT and word[-1] == "j" and word[-2] in _VOWELS:
            word = word[:-1]  # present and past verb stems: "deklarēju", "deklarēja"
    if len(word) > _MIN_ROOT and word[-1] == "t" and word[-2] in _VOWELS:
        word = word[:-1]  # the infinitive and the participle: "deklarēt", "deklarēts"
    if len(word) > _MIN_ROOT and word[-1] in _VOWELS:
        word = word[:-1]  # the theme vowel: deklarē-t, maksā-t, vadī-t
    return word
