"""Road Traffic Safety Directorate records (see integrations.registries.record)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta

from integrations.registries.record import Record, Text


class Vehicle(Record, frozen=True):
    plate: Text
    make: Text
    model: Text
    first_registered_year: int
    technical_inspection_due: date
    insurance_valid_until: Annotated[
        date | None,
        Meta(description="Null: no valid compulsory third-party insurance (OCTA) is known."),
    ]
    """None: no valid compulsory third-party insurance (OCTA) is known."""


class DrivingLicence(Record, frozen=True):
    number: Text
    categories: tuple[Annotated[str, Meta(min_length=1)], ...]
    issued_on: date
    valid_until: date
