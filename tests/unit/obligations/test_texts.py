"""Translatable texts: rendered per language with Babel's formats, carried as JSON by reminders
and notices, and rendered in the reader's language at the end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.lib.texts import Money, Text, joined, render_in
from backend.notifications.render.messages import MAX_PARAM_CHARS, clean_params, in_language, render

INSTALMENT = Text(
    "{amount} of this year's {total} real-estate tax. Late interest of {rate} % a day: "
    "{interest} so far.",
    amount=Money(Decimal("1234.50")),
    total=Money(Decimal("4938")),
    rate=Decimal("0.05"),
    interest=Money(Decimal("3.09")),
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,234.50 of this year's €4,938.00 real-estate tax. Late interest of 0.05 % a day"),
        (
            "lv",
            "1\xa0234,50\xa0€ no šī gada nekustamā īpašuma nodokļa (4\xa0938,00\xa0€). "
            "Nokavējuma nauda — 0,05",
        ),
        (
            "ru",
            "1\xa0234,50\xa0€ из 4\xa0938,00\xa0€ налога на недвижимость за этот год. Пеня — 0,05",
        ),
    ],
)
def test_amounts_and_numbers_follow_the_language(language: str, expected: str) -> None:
    assert render_in(INSTALMENT, language).startswith(expected)


def test_years_are_never_grouped_and_nested_texts_are_translated() -> None:
    text = Text(
        "We could not check {what}: the registry did not answer.",
        what=Text("your real-estate tax"),
    )
    assert render_in(text, "lv") == (
        "Nevarējām pārbaudīt jūsu nekustamā īpašuma nodokli: reģistrs neatbildēja."
    )
    assert render_in(Text("Pay income tax for {year}", year=2025), "ru") == (
        "Уплатите подоходный налог за 2025 год"
    )
    both = joined(
        Text("Your other valid document keeps you covered, so renewing this one is up to you."),
        Text("never"),
    )
    assert render_in(both, "en").endswith("up to you. never")


def test_a_text_travels_as_json_and_back() -> None:
    text = Text(
        "Pay income tax for {year} (part {part} of {parts})",
        year=2025,
        part=1,
        parts=3,
    )
    for value in (text, INSTALMENT, Text("{date}", date=date(2027, 5, 17))):
        assert Text.from_json(value.to_json()) == value
        assert hash(Text.from_json(value.to_json())) == hash(value)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "not json",
        "[]",
        '"a string"',
        '{"x": 1}',
        '{"m": 1}',
        '{"m": "a", "p": {"d": {"date": "x"}}}',
        '{"m": "a", "p": {"n": {"dec": "NaNx"}}}',
    ],
)
def test_anything_else_is_not_a_text(data: str) -> None:
    with pytest.raises(ValueError, match="not a serialised Text"):
        Text.from_json(data)


def test_a_reminder_notice_keeps_its_text_whole_and_renders_it_for_each_reader() -> None:
    title = Text(
        "Compulsory insurance (OCTA): {vehicle}",
        vehicle="Mercedes-Benz Sprinter 316 CDI Kastenwagen Hochdach (KX-9876)",
    )
    params = clean_params("obligations.reminder", {"title": title, "due_on": date(2027, 5, 17)})
    assert len(params["title"]) > MAX_PARAM_CHARS  # kept whole: a cut JSON would be lost
    with in_language("lv"):
        lv = render("obligations.reminder", params, "/obligations", "https://vienuviet.lv")
    with in_language("en"):
        en = render("obligations.reminder", params, "/obligations", "https://vienuviet.lv")
    assert lv.body == (
        "OCTA: Mercedes-Benz Sprinter 316 CDI Kastenwagen Hochdach (KX-9876): termiņš "
        "2027. gada 17. maijs."
    )
    assert en.body.startswith("Compulsory insurance (OCTA): Mercedes-Benz Sprinter")


def test_a_plain_title_is_shown_as_it_is_and_cut_as_before() -> None:
    """Reminder rows from before translatable titles, or a title that only looks like JSON."""
    for title in ("Real estate tax, 2nd payment", '{"m": "not closed'):
        params = clean_params("obligations.reminder", {"title": title, "due_on": "2027-05-17"})
        with in_language("lv"):
            rendered = render("obligations.reminder", params, "/", "https://vienuviet.lv")
        assert rendered.body.startswith(title)
    long = clean_params("obligations.reminder", {"title": "x" * 500, "due_on": "2027-05-17"})
    assert len(long["title"]) == MAX_PARAM_CHARS


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("lv", "līdz 2027. gada 17. februārim, kopš 2019. gada 1. septembra"),
        ("en", "until 17 February 2027, since 1 September 2019"),
    ],
)
def test_a_date_placeholder_names_the_form_its_sentence_needs(language: str, expected: str) -> None:
    # Not a msgid in the catalogs: the same text in both languages shows the form at work.
    text = Text(
        "{until_word} {until:until}, {since_word} {since:since}",
        until=date(2027, 2, 17),
        since=date(2019, 9, 1),
        until_word="līdz" if language == "lv" else "until",
        since_word="kopš" if language == "lv" else "since",
    )
    assert render_in(text, language) == expected


def test_a_format_on_anything_but_a_date_is_refused() -> None:
    with pytest.raises(ValueError, match="only for dates"):
        render_in(Text("{n:until}", n="x"), "lv")
