"""What a source's answer consists of, item by item, for noticing changes.

Each item has an identity (a vehicle's plate, a declared person's code and property), a digest
of the content that matters (a pension's fund manager and plan, not its daily balance), and a
few facts to tell the change by. Identities and digests are hashed before they are stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from integrations.registries.csdd.models import DrivingLicence, Vehicle
from integrations.registries.enterprise_register.models import CompanyRecord
from integrations.registries.land_service.models import Property
from integrations.registries.municipalities.models import RealEstateTaxNotice
from integrations.registries.nhs.models import FamilyDoctor
from integrations.registries.population_register.models import (
    Child,
    DeclaredAddress,
    DeclaredPerson,
    IdentityDocument,
)
from integrations.registries.srs.models import IncomeDeclaration
from integrations.registries.ssia.models import PensionAccount

Facts = dict[str, str | None]


def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def digest(*values: object) -> str:
    material = "\x1f".join(text(v) or "" for v in values)
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass(frozen=True)
class Item:
    identity: str
    """Unique within the source for this person; hashed before it is stored."""
    kind: str
    """What it is: `declared_person`, `vehicle`, … (the `item` of a change)."""
    content: str
    """Digest of what matters about it."""
    facts: Facts

    @property
    def key(self) -> str:
        return hashlib.sha256(self.identity.encode()).hexdigest()[:32]


def _population_register(parts: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    address: DeclaredAddress | None = parts["declared_address"]
    if address is not None:
        facts: Facts = {"address": address.address, "declared_since": text(address.declared_since)}
        found.append(Item("address", "declared_address", digest(*facts.values()), facts))
    declared: list[DeclaredPerson] = parts["declared_at_my_properties"]
    for someone in declared:
        facts = {
            "name": someone.name,
            "property_address": someone.property_address,
            "declared_on": text(someone.declared_on),
            "legal_basis": someone.legal_basis,
        }
        identity = f"declared:{someone.property_address}|{someone.personal_code}"
        found.append(Item(identity, "declared_person", digest(*facts.values()), facts))
    documents: list[IdentityDocument] = parts["identity_documents"]
    for document in documents:
        facts = {"type": document.type, "valid_until": text(document.valid_until)}
        content = digest(document.number, document.issued_on, document.valid_until)
        found.append(
            Item(f"document:{document.type}|{document.number}", "identity_document", content, facts)
        )
    children: list[Child] = parts["children"]
    for child in children:
        facts = {"name": child.name, "birth_date": text(child.birth_date)}
        found.append(Item(f"child:{child.personal_code}", "child", digest(*facts.values()), facts))
    return found


def _ssia(parts: dict[str, Any]) -> list[Item]:
    pension: PensionAccount | None = parts["pension"]
    if pension is None:
        return []
    # The balance changes with every valuation: news only when the person's choices change.
    facts: Facts = {
        "fund_manager": pension.fund_manager,
        "investment_plan": pension.investment_plan,
    }
    return [Item("pension", "pension", digest(*facts.values()), facts)]


def _nhs(parts: dict[str, Any]) -> list[Item]:
    doctor: FamilyDoctor | None = parts["family_doctor"]
    if doctor is None:
        return []
    facts: Facts = {
        "doctor_name": doctor.doctor_name,
        "practice_name": doctor.practice_name,
        "registered_since": text(doctor.registered_since),
    }
    return [Item("family_doctor", "family_doctor", digest(*facts.values()), facts)]


def _csdd(parts: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    vehicles: list[Vehicle] = parts["vehicles"]
    for vehicle in vehicles:
        facts: Facts = {
            "plate": vehicle.plate,
            "make": vehicle.make,
            "model": vehicle.model,
            "technical_inspection_due": text(vehicle.technical_inspection_due),
            "insurance_valid_until": text(vehicle.insurance_valid_until),
        }
        found.append(Item(f"vehicle:{vehicle.plate}", "vehicle", digest(*facts.values()), facts))
    licence: DrivingLicence | None = parts["driving_licence"]
    if licence is not None:
        facts = {"categories": text(licence.categories), "valid_until": text(licence.valid_until)}
        content = digest(licence.number, *facts.values())
        found.append(Item("driving_licence", "driving_licence", content, facts))
    return found


def _land_service(parts: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    properties: list[Property] = parts["properties"]
    for owned in properties:
        facts: Facts = {
            "address": owned.address,
            "kind": owned.kind,
            "share": owned.share,
            "manager": owned.manager.name if owned.manager else None,
        }
        identity = f"property:{owned.cadastral_number}"
        found.append(Item(identity, "property", digest(*facts.values()), facts))
    return found


def _srs(parts: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    declaration: IncomeDeclaration | None = parts["income_declaration"]
    if declaration is not None:
        facts = {
            "year": str(declaration.year),
            "status": declaration.status,
            "amount_payable": text(declaration.amount_payable),
            "amount_refundable": text(declaration.amount_refundable),
        }
        identity = f"income_declaration:{declaration.year}"
        found.append(Item(identity, "income_declaration", digest(*facts.values()), facts))
    # The tax account balance is left out on purpose: late interest moves it every day.
    return found


def _municipalities(parts: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    notices: list[RealEstateTaxNotice] = parts["real_estate_tax"]
    for notice in notices:
        unpaid = [i for i in notice.instalments if not i.paid]
        facts: Facts = {
            "year": str(notice.year),
            "municipality": notice.municipality,
            "total": text(notice.total),
            "unpaid_instalments": str(len(unpaid)),
        }
        # Late interest is left out on purpose: it moves every day.
        content = digest(
            notice.total, *((i.due_date, i.amount, i.paid) for i in notice.instalments)
        )
        identity = f"real_estate_tax:{notice.year}:{notice.notice_number}"
        found.append(Item(identity, "real_estate_tax", content, facts))
    return found


def _enterprise_register(parts: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    companies: list[CompanyRecord] = parts["companies"]
    for company in companies:
        facts: Facts = {
            "company_name": f"{company.name} {company.legal_form}".strip(),
            "registration_number": company.registration_number,
            "status": company.status,
        }
        identity = f"company:{company.registration_number}"
        found.append(Item(identity, "company", digest(*facts.values()), facts))
    return found


OBSERVERS: dict[str, Callable[[dict[str, Any]], list[Item]]] = {
    "population_register": _population_register,
    "ssia": _ssia,
    "nhs": _nhs,
    "csdd": _csdd,
    "land_service": _land_service,
    "srs": _srs,
    "municipalities": _municipalities,
    "enterprise_register": _enterprise_register,
}


def items_of(source: str, parts: dict[str, Any]) -> list[Item]:
    """The items of one person source's answer."""
    return OBSERVERS[source](parts)
