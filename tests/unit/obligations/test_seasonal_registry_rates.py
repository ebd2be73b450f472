"""Seasonal highlights, the rule registry's isolation of failures, and the rates table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from backend.obligations import registry
from backend.obligations.rates import DEFAULT_RATES, RatesError, Status, load_rates
from backend.obligations.registry import RuleSpec, evaluate
from backend.obligations.rules.base import PersonContext, SkipReason
from backend.obligations.rules.seasonal import seasonal_highlights
from tests.unit.obligations.facts import down, person_ctx, plain

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 28), []),
        (date(2026, 3, 1), ["income-declaration-2026"]),
        (date(2026, 4, 15), ["income-declaration-2026"]),
        (date(2026, 5, 5), ["income-declaration-2026", "real-estate-tax-2026-2"]),
        (date(2026, 6, 1), ["income-declaration-2026"]),
        (date(2026, 6, 2), []),
        (date(2026, 7, 1), ["study-applications-2026"]),
        (date(2026, 8, 10), ["real-estate-tax-2026-3"]),  # due Monday 17 August
        (date(2026, 11, 2), ["real-estate-tax-2026-4"]),  # due Monday 16 November
        (date(2026, 11, 17), []),
        (date(2026, 12, 10), []),
    ],
)
def test_seasonal_highlights(today: date, expected: list[str]) -> None:
    assert [h.id for h in seasonal_highlights(today)] == expected


def test_a_failing_rule_leaves_a_note_and_the_others_run() -> None:
    def broken(ctx: PersonContext) -> list[object]:
        raise ZeroDivisionError

    rules = (RuleSpec("broken", broken, "a bug"), *registry.PERSON_RULES)
    result = evaluate(rules, person_ctx(TODAY, birth_date=date(2008, 12, 17)))  # type: ignore[arg-type]
    assert result.skipped[0].rule == "broken"
    assert result.skipped[0].reason is SkipReason.RULE_FAILED
    assert [o.rule for o in result.opportunities] == ["life.turning_18"]


def test_every_source_down_yields_notes_and_no_dates() -> None:
    sources = (
        "identity_documents",
        "vehicles",
        "driving_licence",
        "income_declaration",
        "real_estate_tax",
        "children",
        "pension",
    )
    ctx = person_ctx(TODAY, birth_date=date(1962, 9, 30), **{s: down() for s in sources})
    result = registry.evaluate_person(ctx)
    assert result.obligations == ()
    noted = {(s.rule, s.source) for s in result.skipped}
    assert ("identity_documents", "population_register") in noted
    assert ("real_estate_tax", "municipalities") in noted
    assert ("pension_fund_change", "ssia") in noted
    assert all(plain(s.message).startswith("We could not check") for s in result.skipped)
    # the pension-age opportunity needs only the birth date
    assert [o.rule for o in result.opportunities] == ["life.pension_age"]


def test_rules_are_registered_once() -> None:
    ids = [r.id for r in registry.PERSON_RULES + registry.COMPANY_RULES]  # type: ignore[operator]
    assert len(ids) == len(set(ids))


def test_the_values_domain_marks_unverified_are_flagged() -> None:
    named = DEFAULT_RATES.named()
    assert named["income_tax_later_parts"].status is Status.NOT_VERIFIED
    assert named["vat_return_day"].status is Status.NOT_VERIFIED
    assert named["pension_age_years"].value == 65
    assert all(rate.source for rate in named.values())


def test_a_rates_file_corrects_values(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(
        '[vat_return_day]\nvalue = 23\nsource = "VID notice"\nstatus = "verified"\n'
        '[income_tax_later_parts]\nvalue = ["07-23", "08-24"]\nsource = "VID"\n'
        '[late_interest_per_day]\nvalue = "0.0004"\nsource = "law change"\nstatus = "verified"\n'
    )
    rates = load_rates(path)
    assert rates.vat_return_day.value == 23
    assert rates.vat_return_day.verified
    assert [str(d) for d in rates.income_tax_later_parts.value] == ["07-23", "08-24"]
    assert rates.income_tax_later_parts.status is Status.NOT_VERIFIED
    assert str(rates.late_interest_per_day.value) == "0.0004"
    assert rates == replace(
        DEFAULT_RATES,
        vat_return_day=rates.vat_return_day,
        income_tax_later_parts=rates.income_tax_later_parts,
        late_interest_per_day=rates.late_interest_per_day,
    )


@pytest.mark.parametrize(
    "text",
    [
        '[no_such_rate]\nvalue = 1\nsource = "x"\n',
        '[vat_return_day]\nvalue = "twenty"\nsource = "x"\n',
        "[vat_return_day]\nvalue = 20\n",
        '[vat_return_day]\nvalue = 20\nsource = "x"\nstatus = "maybe"\n',
        '[real_estate_instalments]\nvalue = ["02-30"]\nsource = "x"\n',
        '[late_interest_per_day]\nvalue = "lots"\nsource = "x"\n',
        "not toml at all [",
    ],
)
def test_a_bad_rates_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(text)
    with pytest.raises(RatesError):
        load_rates(path)


def test_a_missing_rates_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RatesError):
        load_rates(tmp_path / "absent.toml")
