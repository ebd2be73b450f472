"""Normalising text for search: folding diacritics (Latvian, Russian ё), splitting words,
and the English and Russian Snowball stems."""

from __future__ import annotations

import pytest

from backend.catalogue.search.analysis import Language, root, term
from backend.catalogue.search.text import clauses, fold, fold_in_place, words


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Ģimenes ĀRSTS", "gimenes arsts"),
        ("Bērnu kopšanas atvaļinājums", "bernu kopsanas atvalinajums"),
        ("Čeki, žogs, ķēde, ļoti, ņemt, ūdens, īss", "ceki, zogs, kede, loti, nemt, udens, iss"),
        ("Ёлка", "елка"),
        ("Удостоверение личности", "удостоверение личности"),  # й and и stay apart
        ("Бесплатный", "бесплатный"),
    ],
)
def test_folding_drops_diacritics_but_keeps_cyrillic_letters(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_a_query_without_diacritics_analyses_like_the_text_with_them() -> None:
    text = [term(w, "lv") for w in words("Ģimenes ārsta izvēle")]
    query = [term(w, "lv") for w in words("gimenes arsta izvele")]
    assert text == query


def test_hyphenated_words_are_indexed_whole_and_by_parts() -> None:
    assert list(words("e-adrese", joined=True)) == ["eadrese", "e", "adrese"]
    assert list(words("e-adrese")) == ["e", "adrese"]


def test_a_dotted_name_is_one_word() -> None:
    assert list(words("portālā latvija.gov.lv")) == ["portala", "latvija.gov.lv"]


def test_clauses_end_at_punctuation_but_not_inside_names() -> None:
    assert [c.strip() for c in clauses("Pase; jauna pase, latvija.gov.lv (EVAK). Beigas")] == [
        "Pase",
        "jauna pase",
        "latvija.gov.lv",
        "EVAK",
        "Beigas",
    ]


@pytest.mark.parametrize("text", ["Ģimenes ārsts", "İzmir Ģimene", "Ģimenes straße"])
def test_folding_in_place_keeps_every_offset(text: str) -> None:
    folded = fold_in_place(text)
    assert len(folded) == len(text)
    assert folded[text.index("Ģ")] == "g"


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", "passport passports"),
        ("en", "register registers registered"),
        ("ru", "паспорт паспорта паспортом паспорту"),
        ("ru", "ребёнок ребенок"),
        ("ru", "машина машину машины"),
    ],
)
def test_english_and_russian_inflections_meet(language: str, forms: str) -> None:
    lang: Language = "en" if language == "en" else "ru"
    assert len({term(fold(w), lang) for w in forms.split()}) == 1


@pytest.mark.parametrize(
    ("language", "family"),
    [("en", "registering registration"), ("ru", "декларировать декларация")],
)
def test_english_and_russian_derivations_share_a_root(language: str, family: str) -> None:
    lang: Language = "en" if language == "en" else "ru"
    assert len({root(term(fold(w), lang), lang) for w in family.split()}) == 1


def test_latin_names_in_russian_text_are_kept() -> None:
    assert term("sia", "ru") == "sia"
    assert term("eid", "ru") == "eid"
