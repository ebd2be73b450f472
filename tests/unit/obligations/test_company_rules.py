"""Company rules: annual report by size, VAT by period, the employer's monthly report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from backend.obligations.rates import DEFAULT_RATES, Rate, Status
from backend.obligations.rules import company_reports, vat
from backend.obligations.rules.base import Obligation, SkipReason, SkipRule
from tests.unit.obligations.facts import company_ctx, company_record, down, ok, plain, tax_status

TODAY = date(2026, 11, 27)


def dues(found: object) -> list[tuple[str, date, date | None]]:
    return [
        (plain(o.title), o.due_date, o.statutory_date)
        for o in found  # type: ignore[attr-defined]
        if isinstance(o, Obligation)
    ]


@pytest.mark.parametrize(
    ("today", "size", "year_end", "expected", "why"),
    [
        (
            TODAY,
            "small",
            "12-31",
            [("31.12.2026", date(2027, 5, 31), None)],
            "5 months; last year's is past",
        ),
        (TODAY, "micro", "12-31", [("31.12.2026", date(2027, 5, 31), None)], "micro as small"),
        (
            TODAY,
            "large",
            "12-31",
            [("31.12.2026", date(2027, 8, 2), date(2027, 7, 31))],
            "7 months; 31 July 2027 a Saturday",
        ),
        (
            TODAY,
            "medium",
            "06-30",
            [("30.06.2026", date(2027, 2, 1), date(2027, 1, 31))],
            "30 June + 7 months = Sunday 31 Jan",
        ),
        (
            date(2026, 3, 2),
            "small",
            "12-31",
            [("31.12.2025", date(2026, 6, 1), date(2026, 5, 31))],
            "31 May 2026 a Sunday",
        ),
        (
            TODAY,
            "small",
            "02-29",
            [("28.02.2027", date(2027, 8, 2), date(2027, 7, 31))],
            "a 29 February year end in a common year",
        ),
        (
            date(2027, 5, 10),
            "small",
            "12-31",
            [("31.12.2026", date(2027, 5, 31), None), ("31.12.2027", date(2028, 5, 31), None)],
            "both within the horizon",
        ),
    ],
)
def test_annual_report(
    today: date, size: str, year_end: str, expected: list[tuple[str, date, date | None]], why: str
) -> None:
    record = company_record(size_class=size, financial_year_end=year_end)
    found = dues(company_reports.annual_report(company_ctx(today, company=ok(record))))
    assert [(title[-10:], due, statutory) for title, due, statutory in found] == expected, why


def test_no_report_for_a_year_before_registration_nor_for_an_excluded_company() -> None:
    young = company_record(registered_on=date(2027, 1, 10))
    assert company_reports.annual_report(company_ctx(TODAY, company=ok(young))) == []
    gone = company_record(status="excluded")
    assert company_reports.annual_report(company_ctx(TODAY, company=ok(gone))) == []


@pytest.mark.parametrize(
    ("company", "reason"),
    [
        (ok(company_record(financial_year_end="13-45")), SkipReason.INCONSISTENT),
        (ok(None), SkipReason.MISSING_FACT),
        (down(), SkipReason.SOURCE_UNAVAILABLE),
    ],
)
def test_annual_report_without_usable_facts_is_skipped(company: object, reason: SkipReason) -> None:
    with pytest.raises(SkipRule) as raised:
        company_reports.annual_report(company_ctx(TODAY, company=company))  # type: ignore[arg-type]
    assert raised.value.reason is reason


@pytest.mark.parametrize(
    ("today", "period", "expected", "why"),
    [
        (
            TODAY,
            "quarterly",
            [
                ("VAT return for Q4 2026", date(2027, 1, 20), None),
                ("VAT payment for Q4 2026", date(2027, 1, 25), date(2027, 1, 23)),
                ("VAT return for Q1 2027", date(2027, 4, 20), None),
            ],
            "Q3's dates are past; 23 January 2027 is a Saturday",
        ),
        (
            TODAY,
            "monthly",
            [
                ("VAT return for November 2026", date(2026, 12, 21), date(2026, 12, 20)),
                ("VAT payment for November 2026", date(2026, 12, 23), None),
                ("VAT return for December 2026", date(2027, 1, 20), None),
            ],
            "October's are past; 20 December 2026 a Sunday; 23 December is a working day",
        ),
        (
            date(2026, 6, 1),
            "monthly",
            [
                ("VAT return for May 2026", date(2026, 6, 25), date(2026, 6, 20)),
                ("VAT payment for May 2026", date(2026, 6, 25), date(2026, 6, 23)),
                ("VAT return for June 2026", date(2026, 7, 20), None),
            ],
            "Midsummer 2026: weekend, 22 June off, 23-24 June holidays → 25 June",
        ),
    ],
)
def test_vat(
    today: date, period: str, expected: list[tuple[str, date, date | None]], why: str
) -> None:
    found = vat.vat(company_ctx(today, status=ok(tax_status(vat_period=period))))
    assert dues(found)[:3] == expected, why
    assert all(today <= o.due_date for o in found if isinstance(o, Obligation))


def test_vat_return_day_comes_from_the_rates_table() -> None:
    rates = replace(DEFAULT_RATES, vat_return_day=Rate(23, "test", Status.VERIFIED))
    ctx = replace(company_ctx(TODAY, status=ok(tax_status(vat_period="monthly"))), rates=rates)
    found = dues(vat.vat(ctx))
    assert found[0] == ("VAT return for November 2026", date(2026, 12, 23), None)


def test_vat_nothing_for_a_non_payer_and_skipped_without_a_period() -> None:
    assert (
        vat.vat(company_ctx(TODAY, status=ok(tax_status(vat_payer=False, vat_period=None)))) == []
    )
    assert vat.vat(company_ctx(TODAY, status=ok(None))) == []
    with pytest.raises(SkipRule) as raised:
        vat.vat(company_ctx(TODAY, status=ok(tax_status(vat_period=None))))
    assert raised.value.reason is SkipReason.INCONSISTENT


@pytest.mark.parametrize(
    ("today", "first", "why"),
    [
        (
            TODAY,
            ("Employer's report for November 2026", date(2026, 12, 17), None),
            "October's was due on the 17th",
        ),
        (
            date(2027, 1, 5),
            ("Employer's report for December 2026", date(2027, 1, 18), date(2027, 1, 17)),
            "17 January 2027 a Sunday",
        ),
        (
            date(2026, 1, 10),
            ("Employer's report for December 2025", date(2026, 1, 17), None),
            "17 January 2026 is a Saturday worked by Cabinet order: it stays",
        ),
    ],
)
def test_employer_report(today: date, first: tuple[str, date, date | None], why: str) -> None:
    found = dues(company_reports.employer_report(company_ctx(today)))
    assert found[0] == first, why
    assert len({title for title, _, _ in found}) == len(found)


def test_no_employer_report_for_a_company_without_staff() -> None:
    assert (
        company_reports.employer_report(company_ctx(TODAY, status=ok(tax_status(employer=False))))
        == []
    )
