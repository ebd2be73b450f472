"""Per-language analysers: a folded word becomes the term the index stores.

Latvian goes through our own stemmer (`latvian.py`: no maintained Latvian stemmer exists for
Python, PostgreSQL or SQLite). English and Russian go through Snowball's stemmers by way of
PyStemmer, the Snowball project's own C binding: Snowball is the reference light stemmer for
both languages, and the C binding stems about fifteen times faster than the pure-Python
`snowballstemmer` package, which matters when the index is built from 2,455 entries at start.

Each language also knows its *root*, which widens a query word to its family: Latvian through
`latvian.root`, English and Russian by the stem's first letters (Snowball keeps "regist" and
"registr" apart).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Final, Literal

import Stemmer

from backend.catalogue.search import latvian
from backend.catalogue.search.text import is_cyrillic

Language = Literal["lv", "en", "ru"]
LANGUAGES: Final[tuple[Language, ...]] = ("lv", "en", "ru")


def as_language(code: str) -> Language:
    """A language code as one of ours; anything else reads as Latvian, the catalogue's own."""
    for language in LANGUAGES:
        if code == language:
            return language
    return "lv"


# Queries bring new words forever; a bounded cache keeps a long-running process's memory flat
# while the vocabulary's own words (a few thousand per language) stay cached.
_CACHE_SIZE: Final = 100_000


def _snowball(algorithm: str) -> Callable[[str], str]:
    stemmer = Stemmer.Stemmer(algorithm)

    def stem(word: str) -> str:
        result: str = stemmer.stemWord(word)
        return result

    return stem


_english = _snowball("english")
_russian = _snowball("russian")


@lru_cache(maxsize=_CACHE_SIZE)
def term(word: str, language: Language) -> str:
    """The index term for a folded word read as `language`. A word in the other script is kept
    as written: Latin "SIA" or "eID" in a Russian text, a Cyrillic name in a Latvian one."""
    if not word.isalpha():
        return word
    cyrillic = is_cyrillic(word)
    if language == "ru":
        return _russian(word) if cyrillic else word
    if cyrillic:
        return word
    if language == "en":
        return _english(word)
    return latvian.stem(word)


# Snowball leaves derivations apart ("registering" → "regist", "registration" → "registr";
# "декларировать" → "декларир", "декларация" → "декларац"); their first letters join them.
_SNOWBALL_ROOT: Final = 6


def root(stem: str, language: Language) -> str:
    """A term's derivational root: the Latvian word family (`latvian.root`); for English and
    Russian the stem's first six letters."""
    if not stem.isalpha():
        return stem
    if language == "lv" and not is_cyrillic(stem):
        return latvian.root(stem)
    return stem[:_SNOWBALL_ROOT]
