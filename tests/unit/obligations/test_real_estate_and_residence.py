"""Real-estate tax instalments with late interest, and declaring a new residence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.obligations.rules import real_estate, residence
from backend.obligations.rules.base import Obligation, SkipReason, SkipRule
from integrations.registries.municipalities.models import Instalment, RealEstateTaxNotice
from integrations.registries.population_register.models import DeclaredAddress
from tests.unit.obligations.facts import down, ok, person_ctx, plain

D = Decimal
DUES = (date(2026, 3, 31), date(2026, 5, 15), date(2026, 8, 15), date(2026, 11, 15))


def schedule(
    year: int, total: str, unpaid: set[int], dues: tuple[date, ...] = DUES
) -> RealEstateTaxNotice:
    share = D(total) / 4
    instalments = tuple(Instalment(d, share, i not in unpaid, None) for i, d in enumerate(dues, 1))
    return notice(year, D(total), instalments)


def notice(
    year: int, total: Decimal, instalments: tuple[Instalment, ...], where: str = "Rīga"
) -> RealEstateTaxNotice:
    return RealEstateTaxNotice(
        where, f"NIN-{year}/1", date(year, 2, 6), year, total, instalments, date(year, 11, 27)
    )


def run(
    today: date, sched: RealEstateTaxNotice
) -> list[tuple[date, date | None, Decimal, Decimal | None]]:
    found = real_estate.real_estate_tax(person_ctx(today, real_estate_tax=ok([sched])))
    return [
        (o.due_date, o.statutory_date, o.amount, o.late_interest)  # type: ignore[misc]
        for o in found
        if isinstance(o, Obligation)
    ]


@pytest.mark.parametrize(
    ("today", "sched", "expected", "why"),
    [
        (
            date(2026, 11, 27),
            schedule(2026, "570.00", {4}),
            [(date(2026, 11, 16), date(2026, 11, 15), D("142.50"), D("0.78"))],
            "15 Nov a Sunday → 16th; 11 days late × 0.05 % × €142.50 = €0.78375",
        ),
        (
            date(2026, 11, 16),
            schedule(2026, "570.00", {4}),
            [(date(2026, 11, 16), date(2026, 11, 15), D("142.50"), None)],
            "due today after the shift: not late, no interest",
        ),
        (
            date(2026, 11, 17),
            schedule(2026, "570.00", {4}),
            [(date(2026, 11, 16), date(2026, 11, 15), D("142.50"), D("0.07"))],
            "one day late",
        ),
        (
            date(2026, 8, 1),
            schedule(2026, "96.00", {3, 4}),
            [
                (date(2026, 8, 17), date(2026, 8, 15), D("24.00"), None),
                (date(2026, 11, 16), date(2026, 11, 15), D("24.00"), None),
            ],
            "15 August 2026 a Saturday → Monday 17th",
        ),
        (
            date(2024, 3, 20),
            schedule(
                2024,
                "96.00",
                {1},
                (date(2024, 3, 31), date(2024, 5, 15), date(2024, 8, 15), date(2024, 11, 15)),
            ),
            [(date(2024, 4, 2), date(2024, 3, 31), D("24.00"), None)],
            "31 March 2024 is Easter Sunday, 1 April Easter Monday → 2 April",
        ),
        (date(2026, 11, 27), schedule(2026, "96.00", set()), [], "all paid"),
    ],
)
def test_real_estate_tax(
    today: date,
    sched: RealEstateTaxNotice,
    expected: list[tuple[date, date | None, Decimal, Decimal | None]],
    why: str,
) -> None:
    assert run(today, sched) == expected, why


@pytest.mark.parametrize(
    ("amount", "days", "interest"),
    [(D("142.50"), 0, D("0.00")), (D("142.50"), 11, D("0.78")), (D("1000.00"), 365, D("182.50"))],
)
def test_late_interest(amount: Decimal, days: int, interest: Decimal) -> None:
    assert real_estate.late_interest(amount, days, D("0.0005")) == interest


@pytest.mark.parametrize(
    "sched",
    [
        schedule(2025, "96.00", {4}),  # last year's schedule
        notice(2026, D("96.00"), (Instalment(date(2026, 3, 31), D("10.00"), False, None),)),
        schedule(
            2026,
            "96.00",
            {4},
            (date(2026, 3, 31), date(2026, 5, 15), date(2026, 8, 15), date(2027, 1, 15)),
        ),
    ],
)
def test_an_inconsistent_schedule_is_skipped(sched: RealEstateTaxNotice) -> None:
    with pytest.raises(SkipRule) as raised:
        run(date(2026, 11, 27), sched)
    assert raised.value.reason is SkipReason.INCONSISTENT


def test_each_municipality_bills_its_own_notice_and_names_itself() -> None:
    riga = schedule(2026, "420.00", {4})
    jurmala = notice(
        2026,
        D("150.00"),
        (
            *(Instalment(d, D("37.50"), True, None) for d in DUES[:3]),
            Instalment(DUES[3], D("37.50"), False, None),
        ),
        where="Jūrmalas valstspilsētas pašvaldība",
    )
    found = real_estate.real_estate_tax(
        person_ctx(date(2026, 11, 27), real_estate_tax=ok([riga, jurmala]))
    )
    titles = sorted(plain(o.title) for o in found if isinstance(o, Obligation))
    assert titles == [
        "Real-estate tax (Jūrmalas valstspilsētas pašvaldība), instalment 4 of 4",
        "Real-estate tax (Rīga), instalment 4 of 4",
    ]
    assert len({o.id for o in found if isinstance(o, Obligation)}) == 2


def test_no_schedule_means_no_tax_and_a_failed_source_says_so() -> None:
    assert real_estate.real_estate_tax(person_ctx(date(2026, 11, 27))) == []
    with pytest.raises(SkipRule):
        real_estate.real_estate_tax(person_ctx(date(2026, 11, 27), real_estate_tax=down()))


ADDRESS_2016 = DeclaredAddress("Brīvības iela 1-5, Rīga", date(2016, 8, 1))


@pytest.mark.parametrize(
    ("today", "moved_on", "address", "expected", "why"),
    [
        (
            date(2026, 11, 1),
            date(2026, 10, 18),
            ADDRESS_2016,
            [(date(2026, 11, 19), date(2026, 11, 18))],
            "a month ends on 18 November → 19th",
        ),
        (
            date(2028, 2, 1),
            date(2028, 1, 31),
            ADDRESS_2016,
            [(date(2028, 2, 29), None)],
            "31 January + 1 month = 29 February in a leap year",
        ),
        (
            date(2027, 2, 1),
            date(2027, 1, 31),
            None,
            [(date(2027, 3, 1), date(2027, 2, 28))],
            "28 Feb 2027 a Sunday; no address declared at all",
        ),
        (
            date(2026, 11, 27),
            date(2026, 10, 18),
            DeclaredAddress("Skolas iela 8-3", date(2026, 10, 20)),
            [],
            "declared after the move: done",
        ),
        (date(2026, 11, 27), None, ADDRESS_2016, [], "no move reported"),
    ],
)
def test_new_residence(
    today: date,
    moved_on: date | None,
    address: DeclaredAddress | None,
    expected: list[tuple[date, date | None]],
    why: str,
) -> None:
    found = residence.new_residence(
        person_ctx(today, moved_on=moved_on, declared_address=ok(address))
    )
    assert [
        (o.due_date, o.statutory_date) for o in found if isinstance(o, Obligation)
    ] == expected, why


def test_residence_needs_the_register_and_a_past_move() -> None:
    with pytest.raises(SkipRule) as raised:
        residence.new_residence(
            person_ctx(date(2026, 11, 27), moved_on=date(2026, 11, 1), declared_address=down())
        )
    assert raised.value.reason is SkipReason.SOURCE_UNAVAILABLE
    with pytest.raises(SkipRule) as raised:
        residence.new_residence(person_ctx(date(2026, 11, 27), moved_on=date(2026, 12, 1)))
    assert raised.value.reason is SkipReason.INCONSISTENT
