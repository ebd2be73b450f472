"""Enterprise Register answers, parsed strictly.

Who may act for a company follows from `officers`: an officer with `representation == "sole"`
may act alone; officers with `"joint"` only together with the other `"joint"` officers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from integrations.registries._parse import Reader

Role = Literal["board_member", "chair", "procurator"]
ROLES: tuple[Role, ...] = ("board_member", "chair", "procurator")
Representation = Literal["sole", "joint"]
REPRESENTATIONS: tuple[Representation, ...] = ("sole", "joint")
CompanyStatus = Literal["active", "liquidation", "insolvency", "excluded"]
STATUSES: tuple[CompanyStatus, ...] = ("active", "liquidation", "insolvency", "excluded")
SizeClass = Literal["micro", "small", "medium", "large"]
SIZE_CLASSES: tuple[SizeClass, ...] = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class Officer:
    personal_code: str | None
    """None for an officer without a Latvian personal code (a foreign national)."""
    name: str
    role: Role
    representation: Representation
    since: date

    @classmethod
    def read(cls, r: Reader) -> Officer:
        return cls(
            personal_code=r.opt_personal_code("personal_code"),
            name=r.text("name"),
            role=r.choice("role", ROLES),
            representation=r.choice("representation", REPRESENTATIONS),
            since=r.day("since"),
        )


@dataclass(frozen=True)
class CompanyRecord:
    registration_number: str
    name: str
    legal_form: str
    registered_on: date
    address: str
    status: CompanyStatus
    financial_year_end: str
    """`MM-DD`, e.g. `12-31`."""
    size_class: SizeClass
    employees: int
    officers: tuple[Officer, ...]

    @classmethod
    def read(cls, r: Reader) -> CompanyRecord:
        return cls(
            registration_number=r.text("registration_number"),
            name=r.text("name"),
            legal_form=r.text("legal_form"),
            registered_on=r.day("registered_on"),
            address=r.text("address"),
            status=r.choice("status", STATUSES),
            financial_year_end=r.text("financial_year_end"),
            size_class=r.choice("size_class", SIZE_CLASSES),
            employees=r.integer("employees"),
            officers=r.records("officers", Officer.read),
        )

    def officer(self, personal_code: str) -> Officer | None:
        return next((o for o in self.officers if o.personal_code == personal_code), None)
