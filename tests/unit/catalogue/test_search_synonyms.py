"""The curated synonyms and stop words: valid files, every synonym pointing at words the
real catalogue uses, and bad files rejected with a message naming the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.catalogue.files import load_content
from backend.catalogue.search import SearchIndex, from_catalogue
from backend.catalogue.search.synonyms import (
    STOPWORDS_FILE,
    VocabularyError,
    load_vocabulary,
    phrase_terms,
)


@pytest.fixture(scope="module")
def real_index() -> SearchIndex:
    catalogue = load_content()
    return SearchIndex(
        from_catalogue(
            catalogue.services.values(), catalogue.life_situations.values(), catalogue.institutions
        )
    )


def test_every_synonym_points_at_words_the_real_catalogue_uses(real_index: SearchIndex) -> None:
    vocabulary = real_index.vocabulary
    missing = [
        (language, " ".join(key), " ".join(target))
        for language, mapping in vocabulary.synonyms.items()
        for key, targets in mapping.items()
        for target in targets
        if not all(term in real_index.views[language] for term in target)
    ]
    assert missing == []


def test_the_files_cover_all_three_languages() -> None:
    vocabulary = load_vocabulary()
    assert set(vocabulary.synonyms) == set(vocabulary.stopwords) == {"lv", "en", "ru"}
    assert vocabulary.targets("lv", phrase_terms("firmas", "lv"))  # any form of the key
    assert vocabulary.is_stopword("lv", "ka")  # "kā" folded


def test_an_unknown_language_is_rejected(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.yaml"
    synonyms.write_text("de:\n  auto: [fahrzeug]\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="unknown language 'de'"):
        load_vocabulary(synonyms, STOPWORDS_FILE)


def test_an_empty_mapping_is_rejected(tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.yaml"
    synonyms.write_text("lv:\n  auto: ['-']\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="'auto' is empty"):
        load_vocabulary(synonyms, STOPWORDS_FILE)


def test_a_value_yaml_reads_as_no_word_is_rejected(tmp_path: Path) -> None:
    stopwords = tmp_path / "stopwords.yaml"
    stopwords.write_text("lv: [un, no]\n", encoding="utf-8")  # YAML 1.1: `no` is false
    with pytest.raises(VocabularyError, match=r"stopwords\.yaml"):
        load_vocabulary(stopwords_file=stopwords)
