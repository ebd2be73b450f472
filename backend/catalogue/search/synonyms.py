"""The curated vocabulary of how people write: synonyms (`synonyms.yaml`) and stop words
(`stopwords.yaml`), both reviewed like code and read once when an index is built.

Synonyms are one-way, from an everyday word to the catalogue's formal terms ("firma" →
"komersants, SIA"), and compared as index terms (folded, stemmed), so one form of a word covers
all its inflections. A mapping's key may be a phrase ("bez darba"); its targets may be phrases
too ("vadītāja apliecība"), which then match best where all their words occur.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

import msgspec
import msgspec.yaml

from backend.catalogue.search.analysis import LANGUAGES, Language, as_language, term
from backend.catalogue.search.text import words

HERE: Final = Path(__file__).parent
SYNONYMS_FILE: Final = HERE / "synonyms.yaml"
STOPWORDS_FILE: Final = HERE / "stopwords.yaml"

Phrase = tuple[str, ...]
T = TypeVar("T")


class VocabularyError(Exception):
    """The synonyms or stop-words file is invalid; the message says where."""


def phrase_terms(text: str, language: Language) -> Phrase:
    """A phrase as the index terms of `language`."""
    return tuple(term(word, language) for word in words(text) if len(word) > 1)


@dataclass(frozen=True)
class Vocabulary:
    """Synonyms by language (key phrase → target phrases) and stop words (folded)."""

    synonyms: dict[Language, dict[Phrase, tuple[Phrase, ...]]] = field(default_factory=dict)
    stopwords: dict[Language, frozenset[str]] = field(default_factory=dict)

    def longest_key(self, language: Language) -> int:
        return max((len(key) for key in self.synonyms.get(language, {})), default=0)

    def targets(self, language: Language, key: Phrase) -> tuple[Phrase, ...]:
        return self.synonyms.get(language, {}).get(key, ())

    def is_stopword(self, language: Language, folded_word: str) -> bool:
        return folded_word in self.stopwords.get(language, frozenset())


def load_vocabulary(
    synonyms_file: Path = SYNONYMS_FILE, stopwords_file: Path = STOPWORDS_FILE
) -> Vocabulary:
    """Both files, checked: every language known, no empty key or target."""
    raw_synonyms = _decode(synonyms_file, dict[str, dict[str, list[str]]])
    raw_stopwords = _decode(stopwords_file, dict[str, list[str]])
    synonyms: dict[Language, dict[Phrase, tuple[Phrase, ...]]] = {}
    for language, mapping in raw_synonyms.items():
        lang = _language(synonyms_file, language)
        entries: dict[Phrase, tuple[Phrase, ...]] = {}
        for key, targets in mapping.items():
            key_terms = phrase_terms(key, lang)
            target_terms = tuple(t for t in (phrase_terms(x, lang) for x in targets) if t)
            if not key_terms or not target_terms:
                raise VocabularyError(f"{synonyms_file.name}: {language}: {key!r} is empty")
            entries[key_terms] = tuple(dict.fromkeys(entries.get(key_terms, ()) + target_terms))
        synonyms[lang] = entries
    stopwords = {
        _language(stopwords_file, language): frozenset(w for x in listed for w in words(x))
        for language, listed in raw_stopwords.items()
    }
    return Vocabulary(synonyms=synonyms, stopwords=stopwords)


def _decode(path: Path, kind: type[T]) -> T:
    try:
        return msgspec.yaml.decode(path.read_bytes(), type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise VocabularyError(f"{path.name}: {exc}") from exc


def _language(path: Path, language: str) -> Language:
    if language not in LANGUAGES:
        raise VocabularyError(f"{path.name}: unknown language {language!r}")
    return as_language(language)
