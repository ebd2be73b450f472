"""National Health Service answers, parsed strictly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from integrations.registries._parse import Reader


@dataclass(frozen=True)
class FamilyDoctor:
    doctor_name: str
    practice_name: str
    address: str
    phone: str
    registered_since: date

    @classmethod
    def read(cls, r: Reader) -> FamilyDoctor:
        return cls(
            doctor_name=r.text("doctor_name"),
            practice_name=r.text("practice_name"),
            address=r.text("address"),
            phone=r.text("phone"),
            registered_since=r.day("registered_since"),
        )
