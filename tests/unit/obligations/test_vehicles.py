"""Driving licence, technical inspection and compulsory insurance (CSDD)."""

from __future__ import annotations

from datetime import date

import pytest

from backend.obligations.rules import vehicles
from backend.obligations.rules.base import Obligation, Skipped, SkipReason, SkipRule
from integrations.registries.csdd.models import DrivingLicence, Vehicle
from tests.unit.obligations.facts import down, ok, person_ctx

TODAY = date(2026, 11, 27)


def car(inspection: date, insurance: date | None, plate: str = "KA-1234") -> Vehicle:
    return Vehicle(plate, "Toyota", "Yaris", 2015, inspection, insurance)


def licence(valid_until: date, issued_on: date = date(2016, 1, 1)) -> DrivingLicence:
    return DrivingLicence("AB123", ("B",), issued_on, valid_until)


@pytest.mark.parametrize(
    ("cars", "expected", "why"),
    [
        (
            [car(date(2026, 12, 9), date(2027, 4, 26))],
            [
                (vehicles.INSPECTION, date(2026, 12, 9), False),
                (vehicles.INSURANCE, date(2027, 4, 26), False),
            ],
            "inspection in 12 days, insurance in 150",
        ),
        (
            [car(date(2026, 11, 17), date(2028, 6, 1))],
            [(vehicles.INSPECTION, date(2026, 11, 17), False)],
            "inspection overdue: kept at its date; insurance beyond the horizon",
        ),
        (
            [car(date(2026, 11, 18), date(2028, 6, 1))],
            [(vehicles.INSPECTION, date(2026, 11, 18), False)],
            "a validity end on a holiday does not move",
        ),
        (
            [car(date(2028, 6, 1), None)],
            [(vehicles.INSURANCE, TODAY, True)],
            "no valid insurance: due now",
        ),
        ([], [], "no vehicles"),
    ],
)
def test_vehicles(cars: list[Vehicle], expected: list[tuple[str, date, bool]], why: str) -> None:
    found = vehicles.vehicles(person_ctx(TODAY, vehicles=ok(cars)))
    assert [
        (o.rule, o.due_date, o.immediate) for o in found if isinstance(o, Obligation)
    ] == expected, why


def test_an_uninsured_vehicle_is_one_occurrence_whatever_the_day() -> None:
    def occurrence(today: date) -> str:
        (found,) = vehicles.vehicles(person_ctx(today, vehicles=ok([car(date(2028, 6, 1), None)])))
        assert isinstance(found, Obligation)
        return found.occurrence

    assert occurrence(TODAY) == occurrence(date(2026, 12, 3))


@pytest.mark.parametrize(
    ("valid_until", "shown"),
    [
        (date(2027, 1, 11), True),
        (date(2026, 11, 27), True),
        (date(2025, 12, 1), True),  # expired within the last year
        (date(2025, 11, 26), False),  # expired over a year ago
        (date(2028, 6, 1), False),  # beyond the horizon
    ],
)
def test_driving_licence(valid_until: date, shown: bool) -> None:
    found = vehicles.driving_licence(person_ctx(TODAY, driving_licence=ok(licence(valid_until))))
    assert [o.due_date for o in found if isinstance(o, Obligation)] == (
        [valid_until] if shown else []
    )


def test_no_licence_is_nothing_and_a_broken_one_is_skipped() -> None:
    assert vehicles.driving_licence(person_ctx(TODAY)) == []
    found = vehicles.driving_licence(
        person_ctx(TODAY, driving_licence=ok(licence(date(2020, 1, 1), date(2024, 1, 1))))
    )
    assert [(type(f), f.reason) for f in found] == [(Skipped, SkipReason.INCONSISTENT)]  # type: ignore[union-attr]


def test_csdd_down_skips_both_rules() -> None:
    for rule, field in (
        (vehicles.vehicles, "vehicles"),
        (vehicles.driving_licence, "driving_licence"),
    ):
        with pytest.raises(SkipRule) as raised:
            rule(person_ctx(TODAY, **{field: down()}))
        assert raised.value.source == "csdd"
