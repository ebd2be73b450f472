"""The annual income declaration and its payment, in parts over €640."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.obligations.rules import income_tax
from backend.obligations.rules.base import Obligation, SkipReason, SkipRule
from integrations.registries.srs.models import IncomeDeclaration
from tests.unit.obligations.facts import ok, person_ctx

D = Decimal


def declaration(
    year: int, status: str, payable: str | None = None, refund: str | None = None
) -> IncomeDeclaration:
    return IncomeDeclaration(
        year,
        status,
        D(payable) if payable else None,
        D(refund) if refund else None,  # type: ignore[arg-type]
    )


def run(
    today: date, decl: IncomeDeclaration | None
) -> list[tuple[str, date, date | None, Decimal | None, bool]]:
    found = income_tax.income_declaration(person_ctx(today, income_declaration=ok(decl)))
    return [
        (o.rule, o.due_date, o.statutory_date, o.amount, o.state_confirms)
        for o in found
        if isinstance(o, Obligation)
    ]


FILE, PAY = income_tax.FILE, income_tax.PAY


@pytest.mark.parametrize(
    ("today", "decl", "expected", "why"),
    [
        (
            date(2026, 11, 27),
            declaration(2025, "not_filed"),
            [(FILE, date(2026, 6, 1), None, None, True)],
            "not filed: overdue since Monday 1 June 2026; the state confirms filing",
        ),
        (
            date(2025, 4, 1),
            declaration(2024, "not_filed"),
            [(FILE, date(2025, 6, 2), date(2025, 6, 1), None, True)],
            "1 June 2025 is a Sunday → Monday 2 June",
        ),
        (
            date(2027, 1, 10),
            declaration(2026, "not_filed"),
            [(FILE, date(2027, 6, 1), None, None, True)],
            "before the window opens: due 1 June",
        ),
        (
            date(2026, 5, 10),
            declaration(2025, "filed", payable="820.00"),
            [
                (PAY, date(2026, 6, 25), date(2026, 6, 23), D("273.33"), False),
                (PAY, date(2026, 7, 23), None, D("273.33"), False),
                (PAY, date(2026, 8, 24), date(2026, 8, 23), D("273.34"), False),
            ],
            "over €640: three parts; 23 June is Midsummer → 25th; 23 Aug a Sunday → 24th",
        ),
        (
            date(2026, 7, 1),
            declaration(2025, "filed", payable="820.00"),
            [
                (PAY, date(2026, 7, 23), None, D("273.33"), False),
                (PAY, date(2026, 8, 24), date(2026, 8, 23), D("273.34"), False),
            ],
            "a part past its date is left to the tax account",
        ),
        (
            date(2026, 5, 10),
            declaration(2025, "filed", payable="640.00"),
            [(PAY, date(2026, 6, 25), date(2026, 6, 23), D("640.00"), False)],
            "exactly €640: one payment",
        ),
        (
            date(2029, 5, 2),
            declaration(2028, "accepted", payable="64.10"),
            [(PAY, date(2029, 6, 25), date(2029, 6, 23), D("64.10"), False)],
            "23 June 2029 a Saturday, 24 June Midsummer on a Sunday → Monday 25 June",
        ),
        (date(2026, 11, 27), declaration(2025, "filed", payable="820.00"), [], "all parts past"),
        (date(2026, 11, 27), declaration(2025, "accepted", refund="156.30"), [], "a refund"),
        (date(2026, 11, 27), None, [], "no declaration expected"),
    ],
)
def test_income_declaration(
    today: date,
    decl: IncomeDeclaration | None,
    expected: list[tuple[str, date, date | None, Decimal | None, bool]],
    why: str,
) -> None:
    assert run(today, decl) == expected, why


@pytest.mark.parametrize(
    "decl",
    [
        declaration(2024, "not_filed"),  # an answer for the wrong year
        declaration(2025, "filed", payable="10.00", refund="5.00"),
        declaration(2025, "filed", payable="-3.00"),
    ],
)
def test_an_inconsistent_declaration_is_skipped(decl: IncomeDeclaration) -> None:
    with pytest.raises(SkipRule) as raised:
        run(date(2026, 11, 27), decl)
    assert raised.value.reason is SkipReason.INCONSISTENT


@pytest.mark.parametrize(
    ("amount", "parts", "expected"),
    [
        ("820.00", 3, ["273.33", "273.33", "273.34"]),
        ("1000.00", 3, ["333.33", "333.33", "333.34"]),
        ("641.01", 3, ["213.67", "213.67", "213.67"]),
    ],
)
def test_split_in_parts_adds_up(amount: str, parts: int, expected: list[str]) -> None:
    split = income_tax.split_in_parts(D(amount), parts)
    assert split == [D(e) for e in expected]
    assert sum(split) == D(amount)
