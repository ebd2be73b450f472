"""Opportunities: benefits after a birth, the 3+ card, turning 18, pension age, fund change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.obligations.rules import family, life_events, pension
from backend.obligations.rules.base import Opportunity, Skipped, SkipReason, SkipRule
from integrations.registries.population_register.models import Child
from integrations.registries.ssia.models import PensionAccount
from tests.unit.obligations.facts import ok, person_ctx, plain

TODAY = date(2026, 11, 27)


def child(born: date, name: str = "Emīls Kalniņš", code: str = "322611-70419") -> Child:
    return Child(name, code, born)


def titles(found: object) -> list[tuple[str, date | None]]:
    return [(o.rule, o.apply_by) for o in found if isinstance(o, Opportunity)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("born", "expected", "why"),
    [
        (
            date(2026, 11, 6),
            [(family.BIRTH, date(2027, 5, 6)), (family.FAMILY_BENEFIT, date(2028, 5, 6))],
            "born three weeks ago: both benefits",
        ),
        (
            date(2026, 5, 27),
            [(family.BIRTH, date(2026, 11, 27)), (family.FAMILY_BENEFIT, date(2027, 11, 27))],
            "the last day to claim the childbirth benefit is today",
        ),
        (
            date(2026, 5, 26),
            [(family.FAMILY_BENEFIT, date(2027, 11, 26))],
            "childbirth claim lapsed",
        ),
        (date(2024, 2, 29), [], "born 29 Feb 2024: first birthday 1 March 2025, +6 months passed"),
        (date(2025, 2, 28), [], "one year and six months old: both have lapsed"),
    ],
)
def test_benefits_after_a_birth(born: date, expected: list[tuple[str, date]], why: str) -> None:
    found = family.after_birth(person_ctx(TODAY, children=ok([child(born)])))
    assert titles(found) == expected, why


def test_benefit_explanations_name_the_facts() -> None:
    (birth, _benefit) = family.after_birth(
        person_ctx(TODAY, children=ok([child(date(2026, 11, 6))]))
    )
    assert isinstance(birth, Opportunity)
    assert "Emīls Kalniņš" in plain(birth.explanation)
    assert "06.11.2026" in plain(birth.explanation)
    assert {plain(e.label) for e in birth.eligible_because} == {"Child", "Born", "Source"}
    assert birth.amount == Decimal("600.00")  # since 1 January 2026


def test_a_child_born_in_the_future_is_left_out_and_noted() -> None:
    found = family.after_birth(person_ctx(TODAY, children=ok([child(date(2027, 1, 1))])))
    assert [(type(f), f.reason) for f in found] == [(Skipped, SkipReason.INCONSISTENT)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("births", "eligible"),
    [
        ([date(2026, 11, 6), date(2021, 10, 3), date(2019, 4, 11)], True),
        ([date(2026, 11, 6), date(2021, 10, 3), date(2008, 11, 27)], False),  # 18 today
        ([date(2026, 11, 6), date(2021, 10, 3), date(2008, 11, 28)], True),  # 18 tomorrow
        ([date(2021, 10, 3), date(2019, 4, 11)], False),
    ],
)
def test_large_family_card(births: list[date], eligible: bool) -> None:
    kids = [child(b, f"Child {i}", f"32000{i}-0000{i}") for i, b in enumerate(births)]
    found = family.large_family(person_ctx(TODAY, children=ok(kids)))
    assert bool(titles(found)) is eligible


@pytest.mark.parametrize(
    ("today", "born", "title"),
    [
        (TODAY, date(2008, 12, 17), "You turn 18 on 17.12.2026"),
        (TODAY, date(2009, 1, 26), "You turn 18 on 26.01.2027"),  # 60 days ahead: first day shown
        (TODAY, date(2009, 1, 27), None),
        (TODAY, date(2008, 10, 28), "You turned 18 on 28.10.2026"),  # 30 days after: last day
        (TODAY, date(2008, 10, 27), None),
        (date(2026, 2, 28), date(2008, 2, 29), "You turn 18 on 01.03.2026"),
        (date(2026, 3, 1), date(2008, 2, 29), "You turned 18 on 01.03.2026"),
    ],
)
def test_turning_18(today: date, born: date, title: str | None) -> None:
    found = life_events.turning_18(person_ctx(today, birth_date=born))
    assert [plain(o.title) for o in found if isinstance(o, Opportunity)] == (
        [title] if title else []
    )


@pytest.mark.parametrize(
    ("born", "title"),
    [
        (date(1962, 9, 30), "You reach state pension age on 30.09.2027"),
        (date(1961, 11, 28), "You reach state pension age on 28.11.2026"),  # tomorrow
        (date(1961, 11, 27), None),  # today: reached
        (date(1955, 1, 12), None),
        (date(1963, 11, 27), "You reach state pension age on 27.11.2028"),  # 24 months ahead
        (date(1963, 11, 28), None),
    ],
)
def test_pension_age(born: date, title: str | None) -> None:
    found = life_events.pension_age(person_ctx(TODAY, birth_date=born))
    assert [plain(o.title) for o in found if isinstance(o, Opportunity)] == (
        [title] if title else []
    )


def test_age_rules_need_a_birth_date() -> None:
    for rule in (life_events.turning_18, life_events.pension_age):
        with pytest.raises(SkipRule) as raised:
            rule(person_ctx(TODAY, birth_date=None))
        assert raised.value.reason is SkipReason.MISSING_FACT


def account(last_change: date | None) -> PensionAccount:
    return PensionAccount(
        Decimal("18452.37"), "EUR", "Swedbank", "balanced", Decimal("900"), TODAY, last_change
    )


@pytest.mark.parametrize(
    ("last_change", "eligible"),
    [
        (date(2021, 3, 15), True),
        (None, True),
        (date(2026, 1, 20), False),
        (date(2025, 12, 31), True),
    ],
)
def test_fund_change_once_a_year(last_change: date | None, eligible: bool) -> None:
    found = pension.fund_change(person_ctx(TODAY, pension=ok(account(last_change))))
    assert titles(found) == ([(pension.FUND_CHANGE, date(2026, 12, 31))] if eligible else [])


def test_fund_change_not_a_participant_and_a_change_in_the_future() -> None:
    assert pension.fund_change(person_ctx(TODAY)) == []
    with pytest.raises(SkipRule):
        pension.fund_change(person_ctx(TODAY, pension=ok(account(date(2027, 1, 1)))))
