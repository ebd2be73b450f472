"""Delegations: a company's representative lets another person act for it, scoped and timed.

Rules:
- Who may grant: a sole representative, or a delegate holding `manage_delegations` (who can
  pass on only scopes they hold, and not for longer than their own delegation).
- To whom: another person, by Latvian personal code (they need not have logged in yet).
- For how long: from now until a date at most `MAX_VALIDITY` ahead.
- Who may revoke: the grantor, any sole representative, a delegate with `manage_delegations`,
  or the grantee (renouncing it).
Every grant and revocation is audited; uses are audited where they happen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from backend.auth import audit
from backend.auth.assurance import Level, require_level
from backend.auth.people import PersonRecord
from backend.auth.subjects import (
    Basis,
    RepresentationSource,
    Scope,
    company_key,
    require,
    subjects_for,
)
from backend.auth.tables import Delegation, Person
from backend.lib import db
from backend.lib.errors import BadInput, NotFound
from backend.lib.identifiers import is_company_number, normalise_personal_code
from backend.lib.time import as_utc, utcnow

if TYPE_CHECKING:
    from backend.settings import AuthSettings

MAX_VALIDITY = timedelta(days=3 * 365)


class DelegationStatus(StrEnum):
    ACTIVE = "active"
    SCHEDULED = "scheduled"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class DelegationView:
    id: uuid.UUID
    company_number: str
    company_name: str
    grantor_id: uuid.UUID
    grantor_name: str
    grantee_personal_code: str
    grantee_name: str | None
    scopes: frozenset[Scope]
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    revoked_at: datetime | None

    @property
    def status(self) -> DelegationStatus:
        now = utcnow()
        if self.revoked_at is not None:
            return DelegationStatus.REVOKED
        if self.valid_until <= now:
            return DelegationStatus.EXPIRED
        if self.valid_from > now:
            return DelegationStatus.SCHEDULED
        return DelegationStatus.ACTIVE


async def delegate_codes(company_number: str, scope: Scope, now: datetime) -> set[str]:
    """Personal codes of the people a company's delegations in force give `scope` (for those
    who tell a company's people something: the notification centre)."""
    rows = await (
        Delegation.select(Delegation.grantee_personal_code, Delegation.scopes)
        .where(
            (Delegation.company_number == company_number)
            & Delegation.revoked_at.is_null()
            & (Delegation.valid_from <= now)
            & (Delegation.valid_until > now)
        )
        .run()
    )
    return {
        str(row["grantee_personal_code"])
        for row in rows
        if scope.value in str(row["scopes"]).split(",")
    }


async def _names(person_ids: set[Any], codes: set[str]) -> tuple[dict[Any, str], dict[str, str]]:
    by_id: dict[Any, str] = {}
    by_code: dict[str, str] = {}
    if person_ids:
        for row in await Person.select(Person.id, Person.given_name, Person.family_name).where(
            Person.id.is_in(list(person_ids))
        ):
            by_id[row["id"]] = f"{row['given_name']} {row['family_name']}"
    if codes:
        for row in await Person.select(
            Person.personal_code, Person.given_name, Person.family_name
        ).where(Person.personal_code.is_in(list(codes))):
            by_code[row["personal_code"]] = f"{row['given_name']} {row['family_name']}"
    return by_id, by_code


async def _views(rows: list[dict[str, Any]]) -> list[DelegationView]:
    by_id, by_code = await _names(
        {row["grantor"] for row in rows}, {row["grantee_personal_code"] for row in rows}
    )
    return [
        DelegationView(
            id=row["id"],
            company_number=row["company_number"],
            company_name=row["company_name"],
            grantor_id=row["grantor"],
            grantor_name=by_id.get(row["grantor"], ""),
            grantee_personal_code=row["grantee_personal_code"],
            grantee_name=by_code.get(row["grantee_personal_code"]),
            scopes=frozenset(Scope(s) for s in row["scopes"].split(",") if s),
            valid_from=as_utc(row["valid_from"]),
            valid_until=as_utc(row["valid_until"]),
            created_at=as_utc(row["created_at"]),
            revoked_at=as_utc(row["revoked_at"]) if row["revoked_at"] else None,
        )
        for row in rows
    ]


async def grant(
    grantor: PersonRecord,
    source: RepresentationSource,
    engine: Any,
    *,
    company_number: str,
    grantee_personal_code: str,
    scopes: set[Scope],
    valid_until: datetime,
) -> DelegationView:
    if not is_company_number(company_number):
        raise BadInput("A company registration number has 11 digits.", code="invalid_company")
    try:
        grantee_code = normalise_personal_code(grantee_personal_code)
    except ValueError:
        raise BadInput("That is not a valid personal code.", code="invalid_personal_code") from None
    if grantee_code == grantor.personal_code:
        raise BadInput("You cannot delegate to yourself.", code="self_delegation")
    if not scopes:
        raise BadInput("Choose at least one thing the person may do.", code="no_scopes")
    now = utcnow()
    valid_until = as_utc(valid_until)
    if valid_until <= now:
        raise BadInput("The end date must be in the future.", code="invalid_validity")
    if valid_until - now > MAX_VALIDITY:
        raise BadInput("A delegation can last at most three years.", code="invalid_validity")
    access = await require(grantor, company_key(company_number), Scope.MANAGE_DELEGATIONS, source)
    if access.basis is Basis.DELEGATED:
        # A delegate passes on only what they hold, for no longer than they hold it.
        if not scopes <= access.scopes:
            raise BadInput("You can only pass on rights you hold yourself.", code="scope_exceeds")
        if access.valid_until is not None and valid_until > access.valid_until:
            raise BadInput("The delegation cannot outlast your own.", code="validity_exceeds")
    delegation_id = uuid.uuid4()
    async with db.transaction(engine):
        await Delegation.insert(
            Delegation(
                id=delegation_id,
                company_number=company_number,
                company_name=access.name,
                grantor=grantor.id,
                grantee_personal_code=grantee_code,
                scopes=",".join(sorted(scopes)),
                valid_from=now,
                valid_until=valid_until,
            )
        ).run()
        await audit.record(
            "delegation_granted",
            actor_id=grantor.id,
            subject_key=company_key(company_number),
            object_id=str(delegation_id),
            detail={"scopes": sorted(scopes), "valid_until": valid_until.isoformat()},
        )
    return (await _views(await Delegation.select().where(Delegation.id == delegation_id)))[0]


async def revoke(
    person: PersonRecord,
    source: RepresentationSource,
    engine: Any,
    delegation_id: uuid.UUID,
    *,
    login: tuple[Level, AuthSettings],
) -> DelegationView:
    """Revoke (or, for the grantee, renounce) a delegation the person may manage, with a
    login strong enough to act for its company (`login`: the session's level and the
    settings; StepUpNeeded otherwise)."""
    row = await Delegation.select().where(Delegation.id == delegation_id).first().run()
    if row is None or not await _may_manage(person, source, row):
        raise NotFound("No such delegation.")  # never reveal other companies' delegations
    level, auth = login
    require_level(level, company_key(row["company_number"]), auth)
    if row["revoked_at"] is None:
        async with db.transaction(engine):
            await (
                Delegation.update(revoked_at=utcnow(), revoked_by=person.id)
                .where((Delegation.id == delegation_id) & Delegation.revoked_at.is_null())
                .run()
            )
            await audit.record(
                "delegation_revoked",
                actor_id=person.id,
                subject_key=company_key(row["company_number"]),
                object_id=str(delegation_id),
            )
    return (await _views(await Delegation.select().where(Delegation.id == delegation_id)))[0]


async def _may_manage(
    person: PersonRecord, source: RepresentationSource, row: dict[str, Any]
) -> bool:
    if row["grantor"] == person.id or row["grantee_personal_code"] == person.personal_code:
        return True
    access = (await subjects_for(person, source)).get(company_key(row["company_number"]))
    return access is not None and access.allows(Scope.MANAGE_DELEGATIONS)


async def given(person: PersonRecord, source: RepresentationSource) -> list[DelegationView]:
    """Delegations of every company the person manages, and any they granted themselves."""
    access = await subjects_for(person, source)
    managed = [
        subject.company_number
        for subject in access.subjects
        if subject.company_number and subject.basis in (Basis.SOLE, Basis.JOINT)
    ]
    condition: Any = Delegation.grantor == person.id
    if managed:
        condition = condition | Delegation.company_number.is_in(managed)
    rows = (
        await Delegation.select().where(condition).order_by(Delegation.created_at, ascending=False)
    )
    return await _views(rows)


async def received(person: PersonRecord) -> list[DelegationView]:
    if not person.personal_code:
        return []
    rows = await (
        Delegation.select()
        .where(Delegation.grantee_personal_code == person.personal_code)
        .order_by(Delegation.created_at, ascending=False)
    )
    return await _views(rows)
