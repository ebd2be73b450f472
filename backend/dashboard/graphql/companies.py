"""GraphQL types for what the Enterprise Register and the State Revenue Service say about a
company, derived from the records (`derive.from_record`). Personal codes of officers other than
the viewer are masked."""

from __future__ import annotations

import copy
from enum import StrEnum

import strawberry
from msgspec.structs import force_setattr

from backend.dashboard.graphql.derive import from_record
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


@from_record(
    ur.Officer,
    description="An officer of a company, as the Enterprise Register lists them.",
    fields=("name", "role", "representation", "since", "personal_code"),
)
class Officer:
    role: OfficerRole
    representation: Representation
    personal_code: str | None = strawberry.field(
        description="The viewer's own code in full; other people's masked (`150385-*****`)."
    )


def officer_for(m: ur.Officer, viewer_code: str | None) -> ur.Officer:
    """The officer as `viewer_code` may see them: other people's codes masked."""
    code = m.personal_code
    if code is None or code == viewer_code:
        return m
    masked = copy.copy(m)  # not `replace`: that would check the masked code as a real one
    force_setattr(masked, "personal_code", mask_personal_code(code))
    return masked


@from_record(
    ur.CompanyRecord,
    name="Company",
    fields=(
        "registration_number",
        "name",
        "legal_form",
        "registered_on",
        "address",
        "status",
        "financial_year_end",
        "size_class",
        "employees",
    ),
)
class Company:
    status: CompanyStatus
    size_class: CompanySize


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
            company=m,  # type: ignore[arg-type]  # Company is derived from the record
            role=OfficerRole(officer.role),
            representation=Representation(officer.representation),
        )


@from_record(
    srs.CompanyTaxStatus,
    fields=(
        "vat_payer",
        "vat_number",
        "vat_period",
        "employer",
        "tax_account_balance",
        "as_of",
    ),
)
class CompanyTaxStatus:
    vat_period: VatPeriod | None
