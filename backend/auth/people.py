"""People as we know them: created or refreshed from the provider's claims at every login.

A person is one human whatever provider they log in through: each (issuer, sub) is a
`PersonIdentity` linked to one `Person`, and a new identity finds its person by the personal
code (else the eIDAS identifier). The seed goes through the same door (`record_person`), so
pointing a database at another provider (`OIDC_ISSUER`) neither fails nor splits anyone.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backend.auth.oidc import Identity
from backend.auth.tables import Person, PersonIdentity
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


log = logging.getLogger("vienuviet.auth")

COLUMNS = (
    Person.id,
    Person.personal_code,
    Person.eidas_id,
    Person.given_name,
    Person.family_name,
    Person.locale,
    Person.birth_date,
)


ROW = (*COLUMNS, Person.person_key)


async def get_person(person_id: uuid.UUID | str) -> PersonRecord | None:
    row = await Person.select(*COLUMNS).where(Person.id == person_id).first().run()
    return PersonRecord.from_row(row) if row else None


async def find_by_personal_code(personal_code: str) -> PersonRecord | None:
    row = await Person.select(*COLUMNS).where(Person.personal_code == personal_code).first().run()
    return PersonRecord.from_row(row) if row else None


async def find_by_eidas_id(eidas_id: str) -> PersonRecord | None:
    """Someone who logged in with a foreign eID, by its eIDAS identifier."""
    row = await Person.select(*COLUMNS).where(Person.eidas_id == eidas_id).first().run()
    return PersonRecord.from_row(row) if row else None


# What other features may know about people, asked of auth (they do not import its tables).

LOOKUP_CHUNK = 500
"""Ids per IN (...) query: well under either engine's parameter limit."""


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _chunks(ids: Iterable[Any]) -> list[list[Any]]:
    wanted = list(dict.fromkeys(i for i in ids if i is not None))
    return [wanted[i : i + LOOKUP_CHUNK] for i in range(0, len(wanted), LOOKUP_CHUNK)]


async def get_people(person_ids: Iterable[uuid.UUID | None]) -> list[PersonRecord]:
    """The people with these ids that exist (any order; unknown ids are left out)."""
    found: list[PersonRecord] = []
    for chunk in _chunks(person_ids):
        rows = await Person.select(*COLUMNS).where(Person.id.is_in(chunk)).run()
        found += [PersonRecord.from_row(row) for row in rows]
    return found


async def person_names(person_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names ("given family") of the people with these ids that exist."""
    names: dict[uuid.UUID, str] = {}
    for chunk in _chunks(person_ids):
        rows = await Person.select(Person.id, Person.given_name, Person.family_name).where(
            Person.id.is_in(chunk)
        )
        for row in rows:
            names[_as_uuid(row["id"])] = f"{row['given_name']} {row['family_name']}".strip()
    return names


async def person_exists(person_id: uuid.UUID) -> bool:
    return bool(await Person.exists().where(Person.id == person_id).run())


async def people_with_codes(personal_codes: Iterable[str]) -> list[uuid.UUID]:
    """Ids of the people (who have logged in) with these personal codes, sorted."""
    ids: list[uuid.UUID] = []
    for chunk in _chunks(sorted(set(personal_codes))):
        rows = await Person.select(Person.id).where(Person.personal_code.is_in(chunk)).run()
        ids += [_as_uuid(row["id"]) for row in rows]
    return sorted(ids, key=str)


@dataclass(frozen=True)
class Claims:
    """What a provider asserts about whoever logged in (or what the seed says a persona is)."""

    issuer: str
    sub: str
    personal_code: str | None
    eidas_id: str | None
    given_name: str
    family_name: str
    birth_date: date | None = None
    locale: str | None = None

    @classmethod
    def of(cls, identity: Identity) -> Claims:
        return cls(
            issuer=identity.issuer,
            sub=identity.sub,
            personal_code=identity.personal_code,
            eidas_id=identity.eidas_id,
            given_name=identity.given_name,
            family_name=identity.family_name,
            birth_date=identity.birth_date,
            locale=identity.locale,
        )


def person_key(personal_code: str | None, eidas_id: str | None, issuer: str, sub: str) -> str:
    """A person's natural key: the personal code (the legal identity in Latvia), else the
    eIDAS identifier, else — a provider that asserts neither — its issuer and `sub`."""
    if personal_code:
        return f"pc:{personal_code}"
    if eidas_id:
        return f"eidas:{eidas_id}"
    return f"sub:{issuer} {sub}"


async def _by_identity(issuer: str, sub: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await PersonIdentity.select(PersonIdentity.person)
        .where((PersonIdentity.issuer == issuer) & (PersonIdentity.subject == sub))
        .first()
        .run()
    )
    return row


async def _find(claims: Claims) -> tuple[dict[str, Any] | None, bool]:
    """The person these claims are about, and whether this identity is already linked.

    The identity first (it is the provider's own key); then the personal code and the eIDAS
    identifier: someone who reaches us through another provider (another issuer, another
    `sub`) is still the same person."""
    linked = await _by_identity(claims.issuer, claims.sub)
    if linked is not None:
        return await Person.select(*ROW).where(Person.id == linked["person"]).first().run(), True
    for column, value in (
        (Person.personal_code, claims.personal_code),
        (Person.eidas_id, claims.eidas_id),
    ):
        if value:
            row = await Person.select(*ROW).where(column == value).first().run()
            if row is not None:
                return row, False
    return None, False


async def _held_by_another(column: Any, value: str, person_id: uuid.UUID) -> bool:
    return bool(await Person.exists().where((column == value) & (Person.id != person_id)).run())


async def _identifiers(claims: Claims, row: dict[str, Any]) -> dict[str, Any]:
    """The identifiers to store: the claims' where they say one, unless another person row
    already holds it (two rows for one human are never merged silently: logged instead)."""
    fields: dict[str, Any] = {}
    for name, column, value in (
        ("personal_code", Person.personal_code, claims.personal_code),
        ("eidas_id", Person.eidas_id, claims.eidas_id),
    ):
        if not value or value == row[name]:
            continue  # a provider that does not assert an identifier never erases it
        if await _held_by_another(column, value, row["id"]):
            log.warning("person %s: %s held by another person row, not moved", row["id"], name)
            continue
        fields[name] = value
    code = fields.get("personal_code", row["personal_code"])
    eidas = fields.get("eidas_id", row["eidas_id"])
    if code or eidas or not str(row["person_key"]).startswith("sub:"):
        fields["person_key"] = person_key(code, eidas, claims.issuer, claims.sub)
    return fields


async def _link(claims: Claims, person_id: uuid.UUID, linked: bool, now: datetime | None) -> None:
    if linked:
        if now is not None:
            await (
                PersonIdentity.update({PersonIdentity.last_login_at: now})
                .where(
                    (PersonIdentity.issuer == claims.issuer)
                    & (PersonIdentity.subject == claims.sub)
                )
                .run()
            )
        return
    async with db.unique_violation("identity exists"):
        await PersonIdentity.insert(
            PersonIdentity(
                person=person_id, issuer=claims.issuer, subject=claims.sub, last_login_at=now
            )
        ).run()


async def _record(claims: Claims, *, login: bool) -> uuid.UUID:
    now = utcnow() if login else None
    profile: dict[str, Any] = {"given_name": claims.given_name, "family_name": claims.family_name}
    if claims.birth_date is not None:
        profile["birth_date"] = claims.birth_date
    if claims.locale in ("lv", "en", "ru"):
        profile["locale"] = claims.locale
    if now is not None:
        profile["last_login_at"] = now
    row, linked = await _find(claims)
    if row is None:
        person_id = uuid.uuid4()
        async with db.unique_violation("person exists"):
            await Person.insert(
                Person(
                    id=person_id,
                    person_key=person_key(
                        claims.personal_code, claims.eidas_id, claims.issuer, claims.sub
                    ),
                    personal_code=claims.personal_code,
                    eidas_id=claims.eidas_id,
                    **profile,
                )
            ).run()
    else:
        person_id = row["id"]
        fields = {**profile, **await _identifiers(claims, row)}
        await Person.update(**fields).where(Person.id == person_id).run()
    await _link(claims, person_id, linked, now)
    return person_id


async def record_person(claims: Claims, engine: Any, *, login: bool) -> PersonRecord:
    """The person these claims are about — found by the identity, else the personal code,
    else the eIDAS identifier — created if new, refreshed, and the identity linked to them.

    `login` records the moment (the seed passes False: nobody logged in)."""
    for _attempt in range(2):  # a concurrent first login of the same person may win the insert
        try:
            async with db.transaction(engine):
                person_id = await _record(claims, login=login)
        except UniqueViolation:
            continue
        person = await get_person(person_id)
        assert person is not None
        return person
    raise UniqueViolation("could not record the person")  # pragma: no cover - two races in a row


async def upsert_from_identity(identity: Identity, engine: Any) -> PersonRecord:
    """The person behind a login, created on their first and refreshed on every other."""
    return await record_person(Claims.of(identity), engine, login=True)
