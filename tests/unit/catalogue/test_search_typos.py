"""Typo tolerance: the deletion index finds vocabulary terms within the allowed distance,
swaps count as one edit, and short words are never "corrected"."""

from __future__ import annotations

import pytest

from backend.catalogue.search.typos import TypoIndex, allowed_distance, osa_distance

VOCABULARY = ["pensij", "pabalst", "deklaracij", "dzivesviet", "pas", "past", "bern", "arst"]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("pensij", "pensij", 0),
        ("pesnij", "pensij", 1),  # two neighbours swapped
        ("pensj", "pensij", 1),  # one letter missing
        ("penssij", "pensij", 1),  # one letter too many
        ("pansij", "pensij", 1),
        ("dzivesviet", "dzivsvieta", 2),
    ],
)
def test_osa_distance(a: str, b: str, distance: int) -> None:
    assert osa_distance(a, b, limit=3) == distance


def test_osa_distance_stops_past_the_limit() -> None:
    assert osa_distance("pabalst", "deklaracij", limit=2) == 3


@pytest.mark.parametrize(
    ("word", "limit"), [("pas", 0), ("bern", 1), ("pensij", 1), ("dzivesviet", 2)]
)
def test_longer_words_may_carry_more_edits(word: str, limit: int) -> None:
    assert allowed_distance(word) == limit


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("pesnij", "pensij"),
        ("pabalts", "pabalst"),
        ("deklaracj", "deklaracij"),
        ("dzivsviet", "dzivesviet"),
        ("dzivesvjeta", "dzivesviet"),  # two edits in a long word
        ("bernz", "bern"),
    ],
)
def test_a_misspelt_word_finds_its_term(typo: str, meant: str) -> None:
    assert TypoIndex(VOCABULARY).near(typo)[0][0] == meant


def test_nearest_terms_come_first_and_the_word_itself_is_not_offered() -> None:
    index = TypoIndex(["arst", "arsts", "karst"])
    assert index.near("arst") == [("arsts", 1), ("karst", 1)]


def test_short_words_are_never_corrected() -> None:
    assert TypoIndex(VOCABULARY).near("pa") == []
    assert TypoIndex(VOCABULARY).near("pus") == []  # not "pas": too short to judge
