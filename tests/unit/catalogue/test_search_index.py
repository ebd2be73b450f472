"""The search index on a handful of entries: how people write (inflections, no diacritics,
typos, everyday words, other languages) finds the right one, fillers stay hidden unless asked
for, and results carry what a page shows."""

from __future__ import annotations

import pytest

from backend.catalogue.search import Document, Field, FieldText, SearchIndex


def doc(
    identifier: str,
    title: tuple[str, str, str],
    summary: tuple[str, str, str],
    *,
    keywords: str = "",
    body: str = "",
    filler: bool = False,
) -> Document:
    texts = [FieldText(Field.KEYWORDS, "lv", keywords)] if keywords else []
    texts += [FieldText(Field.BODY, "lv", body)] if body else []
    return Document(
        id=identifier,
        kind="service",
        title=dict(zip(("lv", "en", "ru"), title, strict=True)),
        summary=dict(zip(("lv", "en", "ru"), summary, strict=True)),
        texts=texts,
        filler=filler,
    )


ENTRIES = [
    doc(
        "passport",
        ("Pase", "Passport", "Паспорт"),
        (
            "Pase ir ceļošanas dokuments. Pasi izsniedz PMLP.",
            "A passport is a travel document.",
            "Паспорт — проездной документ.",
        ),
        keywords="jauna pase; nozaudēta pase",
    ),
    doc(
        "family-doctor",
        ("Ģimenes ārsta izvēle", "Choosing a family doctor", "Выбор семейного врача"),
        (
            "Jūs varat izvēlēties ģimenes ārstu.",
            "You can choose a family doctor.",
            "Вы можете выбрать семейного врача.",
        ),
    ),
    doc(
        "old-age-pension",
        ("Vecuma pensija", "Old-age pension", "Пенсия по возрасту"),
        (
            "Pensiju piešķir, sasniedzot pensijas vecumu.",
            "The pension is granted at pension age.",
            "Пенсию назначают по достижении пенсионного возраста.",
        ),
    ),
    doc(
        "sia-founding",
        ("SIA dibināšana", "Founding an SIA", "Учреждение SIA"),
        (
            "Komersants reģistrē sabiedrību ar ierobežotu atbildību.",
            "A company is registered in the Commercial Register.",
            "Общество регистрируют в коммерческом регистре.",
        ),
    ),
    doc(
        "birth-registration",
        ("Dzimšanas reģistrācija", "Registering a birth", "Регистрация рождения"),
        (
            "Bērna dzimšanu reģistrē dzimtsarakstu nodaļā.",
            "A child's birth is registered at a registry office.",
            "Рождение ребёнка регистрируют в загсе.",
        ),
    ),
    doc(
        "driving-licence-exchange",
        ("Vadītāja apliecības apmaiņa", "Exchanging a driving licence", "Обмен прав"),
        (
            "Ārvalstīs izsniegtu vadītāja apliecību var apmainīt.",
            "A foreign driving licence can be exchanged.",
            "Иностранное водительское удостоверение можно обменять.",
        ),
    ),
    doc(
        "inheritance-case",
        ("Mantojuma lieta", "Opening an inheritance case", "Наследственное дело"),
        (
            "Notārs atver mantojuma lietu; jauns īpašnieks, jauna adrese, jauns konts.",
            "A notary opens the inheritance case; the case file, the case number, case law.",
            "Нотариус открывает наследственное дело.",
        ),
    ),
    doc(
        "filler-passport-duplicate",
        ("Pases dublikāts", "Passport duplicate", "Дубликат паспорта"),
        ("Pase pase pase.", "Passport passport.", "Паспорт паспорт."),
        filler=True,
    ),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(ENTRIES)


def first(index: SearchIndex, query: str, lang: str = "lv") -> str | None:
    hits = index.search(query, lang, limit=1)
    return hits[0].id if hits else None


@pytest.mark.parametrize("query", ["pase", "pasi", "pases", "pasē", "pasu"])
def test_any_case_of_a_word_finds_the_entry(index: SearchIndex, query: str) -> None:
    assert first(index, query) == "passport"


@pytest.mark.parametrize("query", ["gimenes arsts", "GIMENES ARSTA", "ģimenes ārsts"])
def test_missing_diacritics_and_capitals_do_not_matter(index: SearchIndex, query: str) -> None:
    assert first(index, query) == "family-doctor"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pesnija", "old-age-pension"),  # swapped letters
        ("penssija", "old-age-pension"),  # one letter too many
        ("gimenes arstz", "family-doctor"),
        ("dzimsanas registracja", "birth-registration"),
    ],
)
def test_typos_are_forgiven(index: SearchIndex, query: str, expected: str) -> None:
    assert first(index, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("firma", "sia-founding"),  # the texts say "komersants", "SIA"
        ("mazulis", "birth-registration"),  # the texts say "bērns"
        ("prava", "driving-licence-exchange"),  # the texts say "vadītāja apliecība"
        ("машина права", "driving-licence-exchange"),
    ],
)
def test_everyday_words_find_the_formal_terms(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert first(index, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("passport", "passport"),
        ("family doctor", "family-doctor"),
        ("паспорт", "passport"),
        ("паспорта", "passport"),
        ("семейный врач", "family-doctor"),
        ("регистрация рождения ребенка", "birth-registration"),
    ],
)
def test_english_and_russian_queries_search_the_translations(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert first(index, query) == expected


def test_a_word_known_in_one_language_is_no_typo_in_another(index: SearchIndex) -> None:
    # "pase" is one edit from English "case", which the inheritance entry says four times.
    assert [hit.id for hit in index.search("pase", "lv")] == ["passport"]


def test_words_standing_together_in_a_keyword_rank_that_entry_first(index: SearchIndex) -> None:
    # The inheritance entry says "jauns/jauna" three times; the passport lists "jauna pase".
    assert first(index, "jauna pase") == "passport"


def test_fillers_compete_but_are_shown_only_when_asked_for(index: SearchIndex) -> None:
    shown = [hit.id for hit in index.search("pases dublikāts", "lv")]
    everything = [hit.id for hit in index.search("pases dublikāts", "lv", include_filler=True)]
    assert "filler-passport-duplicate" not in shown
    assert shown[0] == "passport"
    assert everything[0] == "filler-passport-duplicate"
    assert all(hit.filler for hit in index.search("dublikāts", "lv", include_filler=True))


def test_a_hit_is_shown_in_the_readers_language_with_matched_words_marked(
    index: SearchIndex,
) -> None:
    (hit,) = index.search("pasi", "lv", limit=1)
    assert (hit.id, hit.kind, hit.title.text) == ("passport", "service", "Pase")
    assert [hit.title.text[s:e] for s, e in hit.title.highlights] == ["Pase"]
    marked = [hit.snippet.text[s:e] for s, e in hit.snippet.highlights]
    assert marked
    assert all(word.lower().startswith("pas") for word in marked)
    (russian,) = index.search("passport", "ru", limit=1)
    assert russian.title.text == "Паспорт"
    assert russian.snippet.text == "Паспорт — проездной документ."


def test_results_are_ordered_by_score_and_limited(index: SearchIndex) -> None:
    hits = index.search("reģistrācija bērns pase pensija", "lv", limit=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score > 0


@pytest.mark.parametrize("query", ["", "   ", "?!", "a"])
def test_an_empty_query_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query, "lv") == []


def test_an_unknown_language_reads_as_latvian(index: SearchIndex) -> None:
    assert index.search("pase", "de", limit=1)[0].title.text == "Pase"


def test_a_query_nothing_matches_finds_nothing(index: SearchIndex) -> None:
    assert index.search("xyzzyq", "lv") == []


def test_document_ids_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        SearchIndex([ENTRIES[0], ENTRIES[0]])
