"""Population Register answers as frozen dataclasses, parsed strictly (see
integrations.registries._parse)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from integrations.registries._parse import Reader

DocumentType = Literal["passport", "eid_card", "residence_permit"]
DOCUMENT_TYPES: tuple[DocumentType, ...] = ("passport", "eid_card", "residence_permit")


@dataclass(frozen=True)
class DeclaredAddress:
    address: str
    declared_since: date

    @classmethod
    def read(cls, r: Reader) -> DeclaredAddress:
        return cls(address=r.text("address"), declared_since=r.day("declared_since"))


@dataclass(frozen=True)
class DeclaredPerson:
    """Someone whose residence is declared at a property the asking person owns."""

    property_address: str
    name: str
    personal_code: str
    declared_on: date
    legal_basis: str
    """Registry code, e.g. `lease`, `kinship`, `marriage`, `ownership`, `owner_consent`."""

    @classmethod
    def read(cls, r: Reader) -> DeclaredPerson:
        return cls(
            property_address=r.text("property_address"),
            name=r.text("name"),
            personal_code=r.personal_code("personal_code"),
            declared_on=r.day("declared_on"),
            legal_basis=r.text("legal_basis"),
        )


@dataclass(frozen=True)
class IdentityDocument:
    type: DocumentType
    number: str
    issued_on: date
    valid_until: date
    issuer: str

    @classmethod
    def read(cls, r: Reader) -> IdentityDocument:
        return cls(
            type=r.choice("type", DOCUMENT_TYPES),
            number=r.text("number"),
            issued_on=r.day("issued_on"),
            valid_until=r.day("valid_until"),
            issuer=r.text("issuer"),
        )


@dataclass(frozen=True)
class Child:
    name: str
    personal_code: str
    birth_date: date

    @classmethod
    def read(cls, r: Reader) -> Child:
        return cls(
            name=r.text("name"),
            personal_code=r.personal_code("personal_code"),
            birth_date=r.day("birth_date"),
        )
