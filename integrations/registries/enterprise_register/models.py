"""Enterprise Register records (see integrations.registries.record).

Who may act for a company follows from `officers`: an officer with `representation == "sole"`
may act alone; officers with `"joint"` only together with the other `"joint"` officers.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from msgspec import Meta

from integrations.registries.record import Record, Text

Role = Literal["board_member", "chair", "procurator"]
Representation = Literal["sole", "joint"]
CompanyStatus = Literal["active", "liquidation", "insolvency", "excluded"]
SizeClass = Literal["micro", "small", "medium", "large"]


class Officer(Record, frozen=True):
    PERSONAL_CODES: ClassVar[tuple[str, ...]] = ("personal_code",)

    personal_code: Text | None
    """None for an officer without a Latvian personal code (a foreign national)."""
    name: Text
    role: Role
    representation: Representation
    since: date


class CompanyRecord(Record, frozen=True):
    registration_number: Text
    name: Text
    legal_form: Text
    registered_on: date
    address: Text
    status: CompanyStatus
    financial_year_end: Annotated[Text, Meta(description="`MM-DD`, e.g. `12-31`.")]
    size_class: SizeClass
    employees: int
    officers: tuple[Officer, ...]

    def officer(self, personal_code: str) -> Officer | None:
        return next((o for o in self.officers if o.personal_code == personal_code), None)
