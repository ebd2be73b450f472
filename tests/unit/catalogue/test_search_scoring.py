"""Scoring rules that keep rankings fair at the portal's scale: field lengths compared among
entries that have the field, and a word's relatives never outscoring the word itself."""

from __future__ import annotations

from backend.catalogue.search import Document, Field, FieldText, SearchIndex
from backend.catalogue.search.postings import build_view


def test_a_keyword_list_is_not_judged_long_because_most_entries_have_none() -> None:
    with_keywords = [(Field.TITLE, "Pase"), (Field.KEYWORDS, "jauna pase; nozaudēta pase")]
    other = [(Field.TITLE, "Ģimenes ārsts"), (Field.KEYWORDS, "ārsts; dakteris; pediatrs")]
    without = [(Field.TITLE, "Suņa reģistrācija")]
    few = build_view("lv", [with_keywords, other])
    many = build_view("lv", [with_keywords, other, *[without] * 200])
    # Only rarity (idf) may change with the 200 keyword-less entries, not the keywords' weight.
    assert few.postings["nozaudet"].saturations == many.postings["nozaudet"].saturations


def entry(identifier: str, title: str, body: str = "") -> Document:
    return Document(
        id=identifier,
        kind="service",
        title={"lv": title, "en": identifier, "ru": identifier},
        summary={"lv": title, "en": identifier, "ru": identifier},
        texts=[FieldText(Field.BODY, "lv", body)] if body else [],
    )


def test_a_rare_relative_of_a_word_does_not_outscore_the_word_itself() -> None:
    # "deklarēto" is common (every entry's body), "deklarācija" rare: scored by its own
    # rarity, the relative in a title would beat the word itself in a title.
    entries = [
        entry("certificate", "Izziņa par deklarēto dzīvesvietu"),
        entry("correction", "Dzīvesvietas deklarācijas labošana"),
        *[
            entry(f"other-{n}", f"Pakalpojums {n}", "Personas ar deklarēto dzīvesvietu novadā.")
            for n in range(40)
        ],
    ]
    hits = SearchIndex(entries).search("deklarēto", "lv", limit=2)
    assert [hit.id for hit in hits] == ["certificate", "correction"]
