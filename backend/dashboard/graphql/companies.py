"""GraphQL types for what the Enterprise Register and the State Revenue Service say about a
company. Personal codes of officers other than the viewer are masked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

import strawberry

from integrations.registries.enterprise_register import models as ur
from integrations.registries.srs import models as srs


@strawberry.enum
class CompanyStatus(StrEnum):
    ACTIVE = "active"
    LIQUIDATION = "liquidation"
    INSOLVENCY = "insolvency"
    EXCLUDED = "excluded"


@strawberry.enum
class CompanySize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@strawberry.enum
class OfficerRole(StrEnum):
    BOARD_MEMBER = "board_member"
    CHAIR = "chair"
    PROCURATOR = "procurator"


@strawberry.enum(
    description="SOLE: may act alone; JOINT: only together with the other joint officers."
)
class Representation(StrEnum):
    SOLE = "sole"
    JOINT = "joint"


@strawberry.enum
class VatPeriod(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


def mask_personal_code(code: str) -> str:
    """`150385-11028` → `150385-*****`: enough to tell people apart, not to identify one."""
    return code[:7] + "*****"


@strawberry.type(description="An officer of a company, as the Enterprise Register lists them.")
class Officer:
    name: str
    role: OfficerRole
    representation: Representation
    since: date
    personal_code: str | None = strawberry.field(
        description="The viewer's own code in full; other people's masked (`150385-*****`)."
    )

    @classmethod
    def of(cls, m: ur.Officer, viewer_code: str | None) -> Officer:
        code = m.personal_code
        return cls(
            name=m.name,
            role=OfficerRole(m.role),
            representation=Representation(m.representation),
            since=m.since,
            personal_code=code if code is None or code == viewer_code else mask_personal_code(code),
        )


@strawberry.type
class Company:
    registration_number: str
    name: str
    legal_form: str
    registered_on: date
    address: str
    status: CompanyStatus
    financial_year_end: str = strawberry.field(description="`MM-DD`, e.g. `12-31`.")
    size_class: CompanySize
    employees: int

    @classmethod
    def of(cls, m: ur.CompanyRecord) -> Company:
        return cls(
            registration_number=m.registration_number,
            name=m.name,
            legal_form=m.legal_form,
            registered_on=m.registered_on,
            address=m.address,
            status=CompanyStatus(m.status),
            financial_year_end=m.financial_year_end,
            size_class=CompanySize(m.size_class),
            employees=m.employees,
        )


@strawberry.type(description="A company the person is an officer of.")
class CompanyRole:
    company: Company
    role: OfficerRole
    representation: Representation

    @classmethod
    def of(cls, m: ur.CompanyRecord, personal_code: str) -> CompanyRole | None:
        officer = m.officer(personal_code)
        if officer is None:
            return None
        return cls(
            company=Company.of(m),
            role=OfficerRole(officer.role),
            representation=Representation(officer.representation),
        )


@strawberry.type
class CompanyTaxStatus:
    vat_payer: bool
    vat_number: str | None
    vat_period: VatPeriod | None
    employer: bool
    tax_account_balance: Decimal
    as_of: date

    @classmethod
    def of(cls, m: srs.CompanyTaxStatus) -> CompanyTaxStatus:
        return cls(
            vat_payer=m.vat_payer,
            vat_number=m.vat_number,
            vat_period=VatPeriod(m.vat_period) if m.vat_period else None,
            employer=m.employer,
            tax_account_balance=m.tax_account_balance,
            as_of=m.as_of,
        )
