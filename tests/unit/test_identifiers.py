"""Latvian identifiers: both personal-code formats, check digits, companies, eIDAS ids."""

from __future__ import annotations

from datetime import date

import pytest

from backend.lib.identifiers import (
    birth_date_from_personal_code,
    is_company_number,
    is_eidas_identifier,
    is_personal_code,
    make_personal_code,
    normalise_personal_code,
)
from integrations.devstack.personas import PERSONAS


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("150385-11028", "150385-11028"),
        ("15038511028", "150385-11028"),
        (" 150385-11028 ", "150385-11028"),
        ("321708-40215", "321708-40215"),
        ("32170840215", "321708-40215"),
    ],
)
def test_valid_codes_normalise(raw: str, normalised: str) -> None:
    assert normalise_personal_code(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "150385-11029",  # wrong check digit
        "310285-11025",  # 31 February
        "150385-31028",  # century digit 3 does not exist
        "1503851102",  # too short
        "abcdef-ghijk",
        "",
    ],
)
def test_invalid_codes_are_refused(raw: str) -> None:
    assert not is_personal_code(raw)
    with pytest.raises(ValueError, match="personal code"):
        normalise_personal_code(raw)


def test_birth_dates_from_both_formats() -> None:
    assert birth_date_from_personal_code("150385-11028") == date(1985, 3, 15)
    assert birth_date_from_personal_code("321708-40215") is None


def test_generated_codes_round_trip_every_century() -> None:
    for born in (date(1899, 12, 31), date(1985, 3, 15), date(2008, 2, 29)):
        code = make_personal_code(born, 123)
        assert normalise_personal_code(code) == code
        assert birth_date_from_personal_code(code) == born


def test_every_persona_identifier_is_valid() -> None:
    for persona in PERSONAS:
        if persona.personal_code:
            assert is_personal_code(persona.personal_code), persona.slug
        else:
            assert persona.eidas_id, persona.slug
            assert is_eidas_identifier(persona.eidas_id), persona.slug


def test_company_numbers_and_eidas_identifiers() -> None:
    assert is_company_number("40003123459")
    assert not is_company_number("4000312345")
    assert not is_company_number("4000312345a")
    assert is_eidas_identifier("FR/LV/7c1e0b9a-2f4d")
    assert not is_eidas_identifier("FR/EE/7c1e0b9a")  # must be addressed to Latvia
    assert not is_eidas_identifier("FR-LV-123")
