"""Dates, amounts and numbers are written the way each language writes them (CLDR via Babel),
in Riga time, following the language of the current request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backend.lib import i18n

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
        ("en", "June 23, 2026", "€1,234.50", "1,234,567.891"),
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
        assert i18n.format_datetime(late_evening).endswith("00:30:00")
