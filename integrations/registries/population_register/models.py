"""Population Register records (see integrations.registries.record)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from msgspec import Meta

from integrations.registries.record import Record, Text

DocumentType = Literal["passport", "eid_card", "residence_permit"]


class DeclaredAddress(Record, frozen=True):
    address: Text
    declared_since: date


class DeclaredPerson(Record, frozen=True):
    """Someone whose residence is declared at a property the asking person owns."""

    PERSONAL_CODES: ClassVar[tuple[str, ...]] = ("personal_code",)

    property_address: Text
    name: Text
    personal_code: Text
    declared_on: date
    legal_basis: Annotated[Text, Meta(description="Registry code: lease, kinship, marriage, …")]
    """Registry code, e.g. `lease`, `kinship`, `marriage`, `ownership`, `owner_consent`."""


class IdentityDocument(Record, frozen=True):
    type: DocumentType
    number: Text
    issued_on: date
    valid_until: date
    issuer: Text


class Child(Record, frozen=True):
    PERSONAL_CODES: ClassVar[tuple[str, ...]] = ("personal_code",)

    name: Text
    personal_code: Text
    birth_date: date
