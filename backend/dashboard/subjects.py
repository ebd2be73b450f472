"""Whose data a dashboard read is about, and who is asking (for the data-access log)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from enum import StrEnum

from backend.auth.people import PersonRecord
from backend.auth.subjects import Basis, company_key
from backend.dashboard.sources import SubjectKind

_PURPOSE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Subject:
    """A person (asked by personal code) or a company (by registration number)."""

    key: str
    """`person:<uuid>` or `company:<registration number>`."""
    kind: SubjectKind
    registry_key: str | None
    """What the registries are asked by; None when they cannot be asked (no personal code)."""
    person_id: uuid.UUID | None = None

    @classmethod
    def of_person(cls, person: PersonRecord) -> Subject:
        return cls(person.subject_key, "person", person.personal_code, person.id)

    @classmethod
    def of_company(cls, registration_number: str) -> Subject:
        return cls(company_key(registration_number), "company", registration_number)


class OnBehalf(StrEnum):
    SELF = "self"
    """The person reads their own data."""
    REPRESENTATIVE = "representative"
    """An officer of the company, by the Enterprise Register's representation rights."""
    DELEGATE = "delegate"
    """Someone holding a delegation from the company."""
    SYSTEM = "system"
    """A background job (reminders, obligation rules)."""


BASIS_TO_BEHALF = {
    Basis.SELF: OnBehalf.SELF,
    Basis.SOLE: OnBehalf.REPRESENTATIVE,
    Basis.JOINT: OnBehalf.REPRESENTATIVE,
    Basis.DELEGATED: OnBehalf.DELEGATE,
}


@dataclass(frozen=True)
class Actor:
    """Who asks the registries, and why: what the data-access log records."""

    on_behalf: OnBehalf
    purpose: str
    person_id: uuid.UUID | None = None
    """The asking person; None for a job."""

    def __post_init__(self) -> None:
        if not _PURPOSE.match(self.purpose):
            raise ValueError("purpose must be a short snake_case name")
        if (self.person_id is None) != (self.on_behalf is OnBehalf.SYSTEM):
            raise ValueError("a person asks on their own or a company's behalf; a job as system")

    @classmethod
    def job(cls, purpose: str) -> Actor:
        return cls(OnBehalf.SYSTEM, purpose)
