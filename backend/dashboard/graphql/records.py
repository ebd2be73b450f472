"""GraphQL types for what the registries say about a person: one type per registry record,
derived from the record itself (`derive.from_record`); resolvers return the records. An owner
sees who is declared at their property in full (name, personal code, date, legal basis), as the
Population Register shows owners."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from backend.dashboard.graphql.derive import from_record
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


@from_record(pr.DeclaredAddress)
class DeclaredAddress:
    pass


@from_record(pr.DeclaredPerson, description="Someone declared at a property the person owns.")
class DeclaredPerson:
    pass


@from_record(pr.IdentityDocument)
class IdentityDocument:
    type: DocumentType


@from_record(pr.Child)
class Child:
    pass


@from_record(ssia.PensionAccount, description="The 2nd pension pillar account.")
class PensionAccount:
    pass


@from_record(nhs.FamilyDoctor)
class FamilyDoctor:
    pass


@from_record(csdd.Vehicle)
class Vehicle:
    pass


@from_record(csdd.DrivingLicence)
class DrivingLicence:
    pass


@from_record(land.PropertyManager)
class PropertyManager:
    pass


@from_record(land.Property)
class Property:
    kind: PropertyKind


@from_record(srs.TaxAccount, description="Negative balance: owed; positive: overpaid.")
class TaxAccount:
    pass


@from_record(municipal.Instalment, name="TaxInstalment")
class TaxInstalment:
    pass


@from_record(
    municipal.RealEstateTaxNotice,
    name="RealEstateTax",
    description="A municipality's real-estate tax payment notice: the municipality where the "
    "property is assesses and collects the tax, not the State Revenue Service.",
)
class RealEstateTax:
    pass


@from_record(srs.IncomeDeclaration)
class IncomeDeclaration:
    status: DeclarationStatus
