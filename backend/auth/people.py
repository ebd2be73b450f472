"""People as we know them: created or refreshed from the provider's claims at every login."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from backend.auth.oidc import Identity
from backend.auth.tables import Person
from backend.lib import db
from backend.lib.errors import UniqueViolation
from backend.lib.time import utcnow


@dataclass(frozen=True)
class PersonRecord:
    id: uuid.UUID
    personal_code: str | None
    eidas_id: str | None
    given_name: str
    family_name: str
    locale: str
    birth_date: date | None = None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def subject_key(self) -> str:
        return f"person:{self.id}"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PersonRecord:
        return cls(
            id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
            personal_code=row["personal_code"],
            eidas_id=row["eidas_id"],
            given_name=row["given_name"],
            family_name=row["family_name"],
            locale=row["locale"],
            birth_date=row["birth_date"],
        )


COLUMNS = (
    Person.id,
    Person.personal_code,
    Person.eidas_id,
    Person.given_name,
    Person.family_name,
    Person.locale,
    Person.birth_date,
)


async def get_person(person_id: uuid.UUID | str) -> PersonRecord | None:
    row = await Person.select(*COLUMNS).where(Person.id == person_id).first().run()
    return PersonRecord.from_row(row) if row else None


async def find_by_personal_code(personal_code: str) -> PersonRecord | None:
    row = await Person.select(*COLUMNS).where(Person.personal_code == personal_code).first().run()
    return PersonRecord.from_row(row) if row else None


async def _find_existing(identity: Identity) -> dict[str, Any] | None:
    oidc_key = f"{identity.issuer} {identity.sub}"
    row: dict[str, Any] | None = (
        await Person.select(*COLUMNS).where(Person.oidc_key == oidc_key).first().run()
    )
    # The personal code is the legal identity in Latvia: a person who reaches us through a
    # different provider (another `sub`) is still the same person.
    if row is None and identity.personal_code:
        row = await (
            Person.select(*COLUMNS)
            .where(Person.personal_code == identity.personal_code)
            .first()
            .run()
        )
    if row is None and identity.eidas_id:
        row = (
            await Person.select(*COLUMNS).where(Person.eidas_id == identity.eidas_id).first().run()
        )
    return row


async def upsert_from_identity(identity: Identity, engine: Any) -> PersonRecord:
    """The person behind `identity`, created on first login and refreshed on every other."""
    fields: dict[str, Any] = {
        "oidc_key": f"{identity.issuer} {identity.sub}",
        "personal_code": identity.personal_code,
        "eidas_id": identity.eidas_id,
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "last_login_at": utcnow(),
    }
    if identity.birth_date is not None:
        fields["birth_date"] = identity.birth_date
    if identity.locale in ("lv", "en", "ru"):
        fields["locale"] = identity.locale
    for _attempt in range(2):  # a concurrent first login of the same person may win the insert
        try:
            async with db.transaction(engine):
                row = await _find_existing(identity)
                if row is None:
                    person_id = uuid.uuid4()
                    async with db.unique_violation("person exists"):
                        await Person.insert(Person(id=person_id, **fields)).run()
                else:
                    person_id = row["id"]
                    await Person.update(**fields).where(Person.id == person_id).run()
        except UniqueViolation:
            continue
        person = await get_person(person_id)
        assert person is not None
        return person
    raise UniqueViolation("could not record the person")  # pragma: no cover - two races in a row
