"""Road Traffic Safety Directorate answers, parsed strictly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from integrations.registries._parse import Reader


@dataclass(frozen=True)
class Vehicle:
    plate: str
    make: str
    model: str
    first_registered_year: int
    technical_inspection_due: date
    insurance_valid_until: date | None
    """None: no valid compulsory third-party insurance (OCTA) is known."""

    @classmethod
    def read(cls, r: Reader) -> Vehicle:
        return cls(
            plate=r.text("plate"),
            make=r.text("make"),
            model=r.text("model"),
            first_registered_year=r.integer("first_registered_year"),
            technical_inspection_due=r.day("technical_inspection_due"),
            insurance_valid_until=r.opt_day("insurance_valid_until"),
        )


@dataclass(frozen=True)
class DrivingLicence:
    number: str
    categories: tuple[str, ...]
    issued_on: date
    valid_until: date

    @classmethod
    def read(cls, r: Reader) -> DrivingLicence:
        return cls(
            number=r.text("number"),
            categories=r.texts("categories"),
            issued_on=r.day("issued_on"),
            valid_until=r.day("valid_until"),
        )
