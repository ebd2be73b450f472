"""Strict decoding of registry payloads into records (integrations.registries.record): whole
records or a typed error naming the field, never quoting the value."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from integrations.devstack.sandbox.faults import Fault, malform, parse_fault
from integrations.registries._http import backoff_delay, counts_against_source
from integrations.registries.csdd.models import Vehicle
from integrations.registries.enterprise_register.models import CompanyRecord
from integrations.registries.errors import MalformedPayload, RegistryError
from integrations.registries.record import Record, items, one
from integrations.registries.srs.models import CompanyTaxStatus, IncomeDeclaration

VEHICLE = {
    "plate": "KA-1234",
    "make": "Toyota",
    "model": "Yaris",
    "first_registered_year": 2017,
    "technical_inspection_due": "2026-12-09",
    "insurance_valid_until": None,
}


def body(data: object) -> bytes:
    return json.dumps(data).encode()


def record(kind: type[Record], data: object) -> Any:
    return one(kind)(body(data))


def collection(kind: type[Record], data: object) -> tuple[Any, ...]:
    return items(kind)(body(data))


def test_a_valid_vehicle_parses_whole() -> None:
    vehicle = record(Vehicle, VEHICLE)
    assert vehicle.technical_inspection_due == date(2026, 12, 9)
    assert vehicle.insurance_valid_until is None


@pytest.mark.parametrize(
    ("change", "path", "problem"),
    [
        ({"plate": None}, "$.plate", "must not be null"),
        ({"plate": ""}, "$.plate", "must not be empty"),
        ({"first_registered_year": True}, "$.first_registered_year", "expected an integer"),
        ({"first_registered_year": "2017"}, "$.first_registered_year", "expected an integer"),
        ({"technical_inspection_due": "09.12.2026"}, "$.technical_inspection_due", "YYYY-MM-DD"),
        ({"technical_inspection_due": "2026-02-30"}, "$.technical_inspection_due", "YYYY-MM-DD"),
        ({"make": "   "}, "$.make", "must not be empty"),
        ({"first_registered_year": 2017.0}, "$.first_registered_year", "expected an integer"),
        ({"technical_inspection_due": 20261209}, "$.technical_inspection_due", "date string"),
        ({"insurance_valid_until": 5}, "$.insurance_valid_until", "date string"),
    ],
)
def test_wrong_values_name_the_field_never_the_value(
    change: dict[str, Any], path: str, problem: str
) -> None:
    with pytest.raises(MalformedPayload) as caught:
        record(Vehicle, {**VEHICLE, **change})
    assert caught.value.path == path
    assert problem in caught.value.problem
    for value in change.values():
        if value not in (None, "", True):
            assert str(value) not in str(caught.value)


def test_every_missing_field_is_an_error() -> None:
    for field in VEHICLE:
        payload = {k: v for k, v in VEHICLE.items() if k != field}
        with pytest.raises(MalformedPayload, match=f"\\$.{field}: missing"):
            record(Vehicle, payload)


def test_collections_check_each_item_and_the_envelope() -> None:
    assert collection(Vehicle, {"items": []}) == ()
    assert len(collection(Vehicle, {"items": [VEHICLE, VEHICLE]})) == 2
    with pytest.raises(MalformedPayload, match=r"\$.items\[1\].make: missing"):
        collection(Vehicle, {"items": [VEHICLE, {k: v for k, v in VEHICLE.items() if k != "make"}]})
    for envelope in ({}, {"items": "n/a"}, [VEHICLE], "items", None):
        with pytest.raises(MalformedPayload):
            collection(Vehicle, envelope)


def test_money_is_a_decimal_string_never_a_float() -> None:
    def declaration(**amounts: Any) -> IncomeDeclaration:
        base = {"year": 2025, "status": "filed", "amount_payable": None, "amount_refundable": None}
        return record(IncomeDeclaration, {**base, **amounts})

    assert declaration(amount_payable="820.00").amount_payable == Decimal("820.00")
    assert declaration(amount_refundable="-0.5").amount_refundable == Decimal("-0.5")
    for bad in (820.0, "820,00", "8.200", "1e3", "NaN"):
        with pytest.raises(MalformedPayload, match="amount_payable"):
            declaration(amount_payable=bad)
    with pytest.raises(MalformedPayload, match="status: not one of"):
        declaration(status="lost")


def test_officers_keep_representation_strict() -> None:
    company = {
        "registration_number": "40003123459",
        "name": "Ozols Tech",
        "legal_form": "SIA",
        "registered_on": "2015-04-14",
        "address": "Rīga",
        "status": "active",
        "financial_year_end": "12-31",
        "size_class": "micro",
        "employees": 6,
        "officers": [
            {
                "personal_code": "020678-12054",
                "name": "Mārtiņš Ozols",
                "role": "board_member",
                "representation": "sole",
                "since": "2015-04-14",
            }
        ],
    }
    company_record = record(CompanyRecord, company)
    assert company_record.officers[0].representation == "sole"
    assert company_record.officer("020678-12054") is company_record.officers[0]
    unhyphenated = {**company["officers"][0], "personal_code": "02067812054"}  # type: ignore[index]
    assert record(CompanyRecord, {**company, "officers": [unhyphenated]}).officer("020678-12054")
    for field, value in (("representation", "alone"), ("personal_code", "123"), ("role", None)):
        officer = {**company["officers"][0], field: value}  # type: ignore[index]
        with pytest.raises(MalformedPayload, match=rf"officers\[0\]\.{field}"):
            record(CompanyRecord, {**company, "officers": [officer]})


def test_an_answer_that_is_not_an_object_is_refused() -> None:
    for value in ([], "x", 1):
        with pytest.raises(MalformedPayload, match="expected an object"):
            record(Vehicle, value)
    with pytest.raises(MalformedPayload, match=r"\$: must not be null"):
        record(Vehicle, None)
    for garbage in (b"", b"<!DOCTYPE html>", b'{"plate": "KA-1234"', b"[" * 100_000):
        with pytest.raises(MalformedPayload, match=r"\$: not JSON|expected an object"):
            one(Vehicle)(garbage)


@pytest.mark.parametrize("kind", ["missing_fields", "wrong_types"])
def test_sandbox_malformations_break_the_first_record(kind: str) -> None:
    body = json.dumps({"items": [VEHICLE]}).encode()
    spoiled, content_type = malform(kind, body)  # type: ignore[arg-type]
    assert content_type == "application/json"
    with pytest.raises(MalformedPayload, match=r"\$.items\[0\].plate"):
        items(Vehicle)(spoiled)


def test_sandbox_html_and_truncation() -> None:
    body = json.dumps({"items": [VEHICLE]}).encode()
    html, content_type = malform("html", body)
    assert content_type.startswith("text/html")
    assert html.startswith(b"<!DOCTYPE html>")
    truncated, _ = malform("truncated", body)
    assert body.startswith(truncated)
    with pytest.raises(MalformedPayload, match=r"\$: not JSON"):
        items(Vehicle)(truncated)


@pytest.mark.parametrize(
    ("rate", "pattern"),
    [
        (1.0, [True] * 6),
        (0.5, [True, False] * 3),
        (0.25, [True, False, False, False, True, False]),
        (0.0, [False] * 6),
    ],
)
def test_error_rate_is_deterministic(rate: float, pattern: list[bool]) -> None:
    fault = Fault(error_rate=rate)
    assert [fault.next_fails() for _ in pattern] == pattern


def test_fault_definitions_are_validated() -> None:
    assert parse_fault({"hang": True}).hang
    assert parse_fault({}).public() == Fault().public()
    for bad in ({"error_rate": -0.1}, {"latency_ms": 1.5}, {"down": 1}, {"x": 1}, []):
        with pytest.raises(ValueError):  # noqa: PT011 - the message varies by field
            parse_fault(bad)


def test_backoff_grows_exponentially_within_the_cap() -> None:
    for attempt in range(8):
        for _ in range(50):
            delay = backoff_delay(attempt, base_s=0.1, max_s=2.0)
            assert 0 <= delay <= min(2.0, 0.1 * 2**attempt)


def test_which_failures_feed_the_circuit_breaker() -> None:
    def error(reason: Any, status: int | None = None) -> RegistryError:
        return RegistryError("ssia", reason, status=status)

    assert counts_against_source(error("timeout"))
    assert counts_against_source(error("connect"))
    assert counts_against_source(error("malformed"))
    assert counts_against_source(error("http_status", 503))
    assert not counts_against_source(error("http_status", 409))
    assert not counts_against_source(error("unauthorized", 401))
    assert str(error("http_status", 503)) == "ssia: http_status (HTTP 503)"


def test_nullable_texts_are_null_or_not_blank() -> None:
    company = {
        "registration_number": "40003123459",
        "vat_payer": False,
        "vat_number": None,
        "vat_period": None,
        "employer": False,
        "tax_account_balance": "0.00",
        "as_of": "2026-11-27",
    }
    assert record(CompanyTaxStatus, company).vat_number is None
    with pytest.raises(MalformedPayload, match=r"^\$\.vat_number: must not be empty$"):
        record(CompanyTaxStatus, {**company, "vat_number": " \t"})
    with pytest.raises(MalformedPayload, match=r"^\$\.tax_account_balance: expected a decimal"):
        record(CompanyTaxStatus, {**company, "tax_account_balance": 0})
