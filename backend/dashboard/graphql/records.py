"""GraphQL types for what the registries say about a person: one type per registry record,
built from the integrations' models. An owner sees who is declared at their property in full
(name, personal code, date, legal basis), as the Population Register shows owners."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

import strawberry

from integrations.registries.csdd import models as csdd
from integrations.registries.land_service import models as land
from integrations.registries.municipalities import models as municipal
from integrations.registries.nhs import models as nhs
from integrations.registries.population_register import models as pr
from integrations.registries.srs import models as srs
from integrations.registries.ssia import models as ssia


@strawberry.enum(description="A registry the dashboard reads.")
class DashboardSource(StrEnum):
    POPULATION_REGISTER = "population_register"
    SSIA = "ssia"
    NHS = "nhs"
    CSDD = "csdd"
    LAND_SERVICE = "land_service"
    SRS = "srs"
    MUNICIPALITIES = "municipalities"
    ENTERPRISE_REGISTER = "enterprise_register"


@strawberry.enum
class DocumentType(StrEnum):
    PASSPORT = "passport"
    EID_CARD = "eid_card"
    RESIDENCE_PERMIT = "residence_permit"


@strawberry.enum
class PropertyKind(StrEnum):
    APARTMENT = "apartment"
    HOUSE = "house"
    LAND = "land"
    NON_RESIDENTIAL = "non_residential"


@strawberry.enum
class DeclarationStatus(StrEnum):
    NOT_FILED = "not_filed"
    FILED = "filed"
    ACCEPTED = "accepted"


@strawberry.type
class DeclaredAddress:
    address: str
    declared_since: date

    @classmethod
    def of(cls, m: pr.DeclaredAddress) -> DeclaredAddress:
        return cls(address=m.address, declared_since=m.declared_since)


@strawberry.type(description="Someone declared at a property the person owns.")
class DeclaredPerson:
    property_address: str
    name: str
    personal_code: str
    declared_on: date
    legal_basis: str = strawberry.field(description="Registry code: lease, kinship, marriage, …")

    @classmethod
    def of(cls, m: pr.DeclaredPerson) -> DeclaredPerson:
        return cls(
            property_address=m.property_address,
            name=m.name,
            personal_code=m.personal_code,
            declared_on=m.declared_on,
            legal_basis=m.legal_basis,
        )


@strawberry.type
class IdentityDocument:
    type: DocumentType
    number: str
    issued_on: date
    valid_until: date
    issuer: str

    @classmethod
    def of(cls, m: pr.IdentityDocument) -> IdentityDocument:
        return cls(
            type=DocumentType(m.type),
            number=m.number,
            issued_on=m.issued_on,
            valid_until=m.valid_until,
            issuer=m.issuer,
        )


@strawberry.type
class Child:
    name: str
    personal_code: str
    birth_date: date

    @classmethod
    def of(cls, m: pr.Child) -> Child:
        return cls(name=m.name, personal_code=m.personal_code, birth_date=m.birth_date)


@strawberry.type(description="The 2nd pension pillar account.")
class PensionAccount:
    balance: Decimal
    currency: str
    fund_manager: str
    investment_plan: str
    contributions_this_year: Decimal
    valuation_date: date
    last_fund_change_date: date | None

    @classmethod
    def of(cls, m: ssia.PensionAccount) -> PensionAccount:
        return cls(
            balance=m.balance,
            currency=m.currency,
            fund_manager=m.fund_manager,
            investment_plan=m.investment_plan,
            contributions_this_year=m.contributions_this_year,
            valuation_date=m.valuation_date,
            last_fund_change_date=m.last_fund_change_date,
        )


@strawberry.type
class FamilyDoctor:
    doctor_name: str
    practice_name: str
    address: str
    phone: str
    registered_since: date

    @classmethod
    def of(cls, m: nhs.FamilyDoctor) -> FamilyDoctor:
        return cls(
            doctor_name=m.doctor_name,
            practice_name=m.practice_name,
            address=m.address,
            phone=m.phone,
            registered_since=m.registered_since,
        )


@strawberry.type
class Vehicle:
    plate: str
    make: str
    model: str
    first_registered_year: int
    technical_inspection_due: date
    insurance_valid_until: date | None = strawberry.field(
        description="Null: no valid compulsory third-party insurance (OCTA) is known."
    )

    @classmethod
    def of(cls, m: csdd.Vehicle) -> Vehicle:
        return cls(
            plate=m.plate,
            make=m.make,
            model=m.model,
            first_registered_year=m.first_registered_year,
            technical_inspection_due=m.technical_inspection_due,
            insurance_valid_until=m.insurance_valid_until,
        )


@strawberry.type
class DrivingLicence:
    number: str
    categories: list[str]
    issued_on: date
    valid_until: date

    @classmethod
    def of(cls, m: csdd.DrivingLicence) -> DrivingLicence:
        return cls(
            number=m.number,
            categories=list(m.categories),
            issued_on=m.issued_on,
            valid_until=m.valid_until,
        )


@strawberry.type
class PropertyManager:
    name: str
    phone: str
    email: str


@strawberry.type
class Property:
    cadastral_number: str
    address: str
    kind: PropertyKind
    share: str
    manager: PropertyManager | None

    @classmethod
    def of(cls, m: land.Property) -> Property:
        manager = m.manager
        return cls(
            cadastral_number=m.cadastral_number,
            address=m.address,
            kind=PropertyKind(m.kind),
            share=m.share,
            manager=PropertyManager(name=manager.name, phone=manager.phone, email=manager.email)
            if manager
            else None,
        )


@strawberry.type(description="Negative balance: owed; positive: overpaid.")
class TaxAccount:
    balance: Decimal
    currency: str
    as_of: date

    @classmethod
    def of(cls, m: srs.TaxAccount) -> TaxAccount:
        return cls(balance=m.balance, currency=m.currency, as_of=m.as_of)


@strawberry.type
class TaxInstalment:
    due_date: date
    amount: Decimal
    paid: bool
    late_interest: Decimal | None = strawberry.field(
        description="Late interest the municipality has charged so far (null: not late)."
    )


@strawberry.type(
    description="A municipality's real-estate tax payment notice: the municipality where the "
    "property is assesses and collects the tax, not the State Revenue Service."
)
class RealEstateTax:
    municipality: str
    notice_number: str
    issued_on: date
    year: int
    total: Decimal
    instalments: list[TaxInstalment]

    @classmethod
    def of(cls, m: municipal.RealEstateTaxNotice) -> RealEstateTax:
        return cls(
            municipality=m.municipality,
            notice_number=m.notice_number,
            issued_on=m.issued_on,
            year=m.year,
            total=m.total,
            instalments=[
                TaxInstalment(
                    due_date=i.due_date,
                    amount=i.amount,
                    paid=i.paid,
                    late_interest=i.late_interest,
                )
                for i in m.instalments
            ],
        )


@strawberry.type
class IncomeDeclaration:
    year: int
    status: DeclarationStatus
    amount_payable: Decimal | None
    amount_refundable: Decimal | None

    @classmethod
    def of(cls, m: srs.IncomeDeclaration) -> IncomeDeclaration:
        return cls(
            year=m.year,
            status=DeclarationStatus(m.status),
            amount_payable=m.amount_payable,
            amount_refundable=m.amount_refundable,
        )
