"""Keys registries are asked by. A wrong key is the caller's bug (ValueError), not a registry
failure: registries key people by Latvian personal code only, so a person known only by an
eIDAS identifier cannot be looked up at all."""

from __future__ import annotations

from backend.lib.identifiers import is_company_number, normalise_personal_code


def person_key(personal_code: str) -> str:
    """`DDMMYY-CNNNX` / `32NNNN-NNNNN`; raises ValueError for anything else."""
    return normalise_personal_code(personal_code)


def company_key(registration_number: str) -> str:
    number = registration_number.strip()
    if not is_company_number(number):
        raise ValueError("not a company registration number")
    return number
