"""Latvian identifiers: personal codes, company registration numbers, eIDAS person identifiers.

- Personal code: `DDMMYY-CNNNX` (birth date, century digit 0/1/2, serial, check digit) or, since
  July 2017, the birth-date-free `32NNNN-NNNNN`.
- Company registration number: 11 digits.
- eIDAS person identifier: `XX/LV/identifier` (issuing country, receiving country, value).
"""

from __future__ import annotations

import re
from datetime import date

_OLD_FORMAT = re.compile(r"^(\d{2})(\d{2})(\d{2})-?([012])(\d{3})(\d)$")
_NEW_FORMAT = re.compile(r"^32\d{4}-?\d{5}$")
_COMPANY = re.compile(r"^\d{11}$")
_EIDAS = re.compile(r"^([A-Z]{2})/([A-Z]{2})/([A-Za-z0-9+/=:._-]{1,256})$")
_WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CENTURY = {"0": 1800, "1": 1900, "2": 2000}


def _check_digit(first_ten: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first_ten, _WEIGHTS, strict=True))
    digit = (1101 - total) % 11
    return None if digit == 10 else digit


def normalise_personal_code(value: str) -> str:
    """`DDMMYYCNNNX` or with a hyphen → `DDMMYY-CNNNX`; raises ValueError when invalid."""
    raw = value.strip()
    if _NEW_FORMAT.match(raw):
        digits = raw.replace("-", "")
        return f"{digits[:6]}-{digits[6:]}"
    match = _OLD_FORMAT.match(raw)
    if not match:
        raise ValueError("not a Latvian personal code")
    digits = raw.replace("-", "")
    if _check_digit(digits[:10]) != int(digits[10]):
        raise ValueError("personal code check digit does not match")
    if birth_date_from_personal_code(digits) is None:
        raise ValueError("personal code does not hold a valid birth date")
    return f"{digits[:6]}-{digits[6:]}"


def is_personal_code(value: str) -> bool:
    try:
        normalise_personal_code(value)
    except ValueError:
        return False
    return True


def birth_date_from_personal_code(value: str) -> date | None:
    """The birth date an old-format code carries; None for the birth-date-free format."""
    digits = value.replace("-", "")
    if digits.startswith("32") or len(digits) != 11:
        return None
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    century = _CENTURY.get(digits[6])
    if century is None:
        return None
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def make_personal_code(born: date, serial: int) -> str:
    """An old-format code with a valid check digit (for synthetic data); skips serials whose
    check digit would be 10."""
    century = {1800: "0", 1900: "1", 2000: "2"}[born.year // 100 * 100]
    for candidate in range(serial, serial + 20):
        first_ten = f"{born:%d%m}{born.year % 100:02d}{century}{candidate % 1000:03d}"
        digit = _check_digit(first_ten)
        if digit is not None:
            return f"{first_ten[:6]}-{first_ten[6:]}{digit}"
    raise ValueError("no valid serial found")  # pragma: no cover - 1 in 11 serials is invalid


def is_company_number(value: str) -> bool:
    return bool(_COMPANY.match(value.strip()))


def is_eidas_identifier(value: str) -> bool:
    match = _EIDAS.match(value.strip())
    return bool(match) and match is not None and match.group(2) == "LV"
