"""Dates, amounts and numbers are written the way each language writes them (CLDR via Babel),
in Riga time, following the language of the current request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backend.lib import i18n
from backend.lib.texts import ReportingPeriod, Text

NBSP, NNBSP = "\xa0", "\u202f"


@contextmanager
def speaking(language: str) -> Iterator[None]:
    token = i18n.current_language.set(language)
    try:
        yield
    finally:
        i18n.current_language.reset(token)


@pytest.mark.parametrize(
    ("language", "due", "amount", "count"),
    [
        ("lv", "2026. gada 23. jūnijs", f"1{NBSP}234,50{NBSP}€", f"1{NBSP}234{NBSP}567,891"),
        ("en", "23 June 2026", "€1,234.50", "1,234,567.891"),  # British, never "June 23, 2026"
        ("ru", f"23 июня 2026{NNBSP}г.", f"1{NBSP}234,50{NBSP}€", f"1{NBSP}234{NBSP}567,891"),
    ],
)
def test_formats_follow_the_language(language: str, due: str, amount: str, count: str) -> None:
    with speaking(language):
        assert i18n.format_date(date(2026, 6, 23)) == due
        assert i18n.format_money(Decimal("1234.5")) == amount
        assert i18n.format_number(Decimal("1234567.891")) == count


def test_instants_are_shown_in_riga_time() -> None:
    # 21:30 UTC on 23 June is already the 24th in Riga (UTC+3 in summer).
    late_evening = datetime(2026, 6, 23, 21, 30, tzinfo=UTC)
    with speaking("lv"):
        assert i18n.format_date(late_evening) == "2026. gada 24. jūnijs"
        assert i18n.format_datetime(late_evening) == "2026. gada 24. jūn., 00:30"
        assert i18n.format_datetime(late_evening, "short") == "24.06.2026. 00:30"


# (nominative, "until": dative, "since": genitive, "as of": accusative, "on": locative)
LATVIAN_CASES = [
    (date(2027, 2, 17), "februāris", "februārim", "februāra", "februāri", "februārī"),
    (date(2019, 9, 1), "septembris", "septembrim", "septembra", "septembri", "septembrī"),
    (date(2026, 3, 31), "marts", "martam", "marta", "martu", "martā"),
    (date(2026, 4, 1), "aprīlis", "aprīlim", "aprīļa", "aprīli", "aprīlī"),
    (date(2026, 5, 15), "maijs", "maijam", "maija", "maiju", "maijā"),
]


@pytest.mark.parametrize(("day", "nom", "dat", "gen", "acc", "loc"), LATVIAN_CASES)
def test_a_latvian_date_takes_the_case_its_sentence_needs(
    day: date, nom: str, dat: str, gen: str, acc: str, loc: str
) -> None:
    prefix = f"{day.year}. gada {day.day}. "
    with speaking("lv"):
        assert i18n.format_date(day) == prefix + nom
        assert i18n.date_until(day) == prefix + dat  # līdz 2027. gada 17. februārim
        assert i18n.date_since(day) == prefix + gen  # kopš 2019. gada 1. septembra
        assert i18n.date_as_of(day) == prefix + acc  # uz 2026. gada 31. martu
        assert i18n.date_on(day) == prefix + loc  # 2026. gada 7. decembrī
        assert i18n.format_date(day, "short") == f"{day:%d.%m.%Y}."


@pytest.mark.parametrize("language", ["en", "ru"])
def test_other_languages_need_no_case_for_a_date(language: str) -> None:
    with speaking(language):
        plain = i18n.format_date(date(2027, 2, 17))
        forms = {i18n.date_until(date(2027, 2, 17)), i18n.date_since(date(2027, 2, 17))}
        assert forms == {plain}
        assert plain in ("17 February 2027", f"17 февраля 2027{NNBSP}г.")


def test_an_unknown_date_form_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown date form"):
        i18n.format_date(date(2027, 2, 17), form="dative")


@pytest.mark.parametrize(
    ("language", "expected"), [("lv", "31. decembris"), ("en", "31 December"), ("ru", "31 декабря")]
)
def test_a_day_of_every_year_is_written_in_words(language: str, expected: str) -> None:
    with speaking(language):
        assert i18n.format_month_day("12-31") == expected  # a financial year's end, not "12-31"
        assert i18n.format_month_day("not a day") == "not a day"


@pytest.mark.parametrize(
    ("language", "msgid", "months", "expected"),
    [
        ("lv", "PVN par {period:for}", 1, "PVN par 2026. gada novembri"),
        ("lv", "PVN par {period:for}", 3, "PVN par 2026. gada 4. ceturksni"),
        ("lv", "{period}", 1, "2026. gada novembris"),
        ("lv", "{period}", 3, "2026. gada 4. ceturksnis"),
        ("en", "VAT return for {period:for}", 1, "VAT return for November 2026"),
        ("en", "VAT return for {period:for}", 3, "VAT return for Q4 2026"),
        ("ru", "Декларация НДС за {period:for}", 1, "Декларация НДС за ноябрь 2026 года"),
        ("ru", "Декларация НДС за {period:for}", 3, "Декларация НДС за 4-й квартал 2026 года"),
    ],
)
def test_a_reporting_period_is_said_in_words_in_the_case_its_sentence_needs(
    language: str, msgid: str, months: int, expected: str
) -> None:
    """Never "par 2026-11" or "2026-Q4" (issue 15, item 10); the text survives its JSON."""
    first = date(2026, 11 if months == 1 else 10, 1)
    text = Text(msgid, period=ReportingPeriod(first, months))
    with speaking(language):
        assert Text.from_json(text.to_json()).render() == expected


def test_an_unknown_period_form_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown period form"):
        i18n.format_period(date(2026, 11, 1), 1, form="dative")
