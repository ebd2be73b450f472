"""Whom a person may act for: themselves, companies they represent, companies that delegated.

Representation rights come from the Enterprise Register (a board member with sole
representation may do everything; a joint representative may look but not act alone);
delegations come from our own table. Every decision to act for a subject — read its data,
change its settings, act in its name — goes through `authorize`: may this person act for it
(with this scope), and is their login strong enough (`AUTH_MIN_LEVEL_COMPANY` for a company,
`backend.auth.assurance.require_level`)? The rules live in one place.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from backend.auth.assurance import Level, require_level
from backend.auth.people import PersonRecord
from backend.auth.tables import Delegation
from backend.lib.errors import Forbidden
from backend.lib.registry_read import Status
from backend.lib.time import as_utc, utcnow

if TYPE_CHECKING:
    from backend.settings import AuthSettings

log = logging.getLogger("vienuviet.auth")

NOT_YOURS = "You may not do this for that person or company."


class Scope(StrEnum):
    VIEW_MAIL = "view_mail"
    SEND_MAIL = "send_mail"
    OBLIGATIONS = "obligations"
    MANAGE_DELEGATIONS = "manage_delegations"
    APPLY = "apply"
    """Make, send and follow applications in the subject's name (backend/applications)."""


ALL_SCOPES = frozenset(Scope)
# Joint representatives bind the company only together with the others: alone they may look.
JOINT_SCOPES = frozenset({Scope.VIEW_MAIL, Scope.OBLIGATIONS})


class Basis(StrEnum):
    SELF = "self"
    SOLE = "sole"
    JOINT = "joint"
    DELEGATED = "delegated"


@dataclass(frozen=True)
class CompanyRole:
    """One company a person is an officer of, as the Enterprise Register says."""

    registration_number: str
    name: str
    role: str
    representation: str  # "sole" or "joint"


@dataclass(frozen=True)
class CompanyRoles:
    """A person's company roles, and how current they are."""

    roles: tuple[CompanyRole, ...]
    status: Status
    """`ok`: as the register says now (or within the roles' TTL); `stale`: the register did not
    answer, these are the last good roles; `unavailable`: it did not answer and none are known."""
    as_of: datetime | None = None
    """When the register gave these roles."""
    reason: str | None = None
    """Why the register gave no answer (a `RegistryError` reason)."""


class RepresentationSource(Protocol):
    async def company_roles(self, personal_code: str) -> CompanyRoles:
        """Companies this person represents. A register that fails or does not answer in time
        gives the last good roles (`stale`) or none (`unavailable`), never an exception."""
        ...


@dataclass(frozen=True)
class SubjectAccess:
    key: str
    """`person:<uuid>` or `company:<registration number>`."""
    name: str
    basis: Basis
    scopes: frozenset[Scope]
    delegation_id: uuid.UUID | None = None
    valid_until: datetime | None = None
    role: str | None = None

    @property
    def is_company(self) -> bool:
        return self.key.startswith("company:")

    @property
    def company_number(self) -> str | None:
        return self.key.removeprefix("company:") if self.is_company else None

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes


@dataclass
class AccessList:
    subjects: list[SubjectAccess] = field(default_factory=list)
    registry_unavailable: bool = False
    """True when the Enterprise Register could not answer and no roles were known: companies
    the person represents may be missing."""
    companies_as_of: datetime | None = None
    """Set when the register could not answer and the last good roles are used: their time."""

    def get(self, key: str) -> SubjectAccess | None:
        return next((subject for subject in self.subjects if subject.key == key), None)


def company_key(registration_number: str) -> str:
    return f"company:{registration_number}"


async def active_delegations_received(personal_code: str) -> list[dict[str, object]]:
    now = utcnow()
    rows: list[dict[str, object]] = await (
        Delegation.select()
        .where(
            (Delegation.grantee_personal_code == personal_code)
            & Delegation.revoked_at.is_null()
            & (Delegation.valid_from <= now)
            & (Delegation.valid_until > now)
        )
        .order_by(Delegation.created_at, ascending=False)
        .run()
    )
    return rows


async def subjects_for(person: PersonRecord, source: RepresentationSource) -> AccessList:
    """Everyone `person` may act for, most personal first."""
    access = AccessList(
        subjects=[SubjectAccess(person.subject_key, person.name, Basis.SELF, ALL_SCOPES)]
    )
    if not person.personal_code:
        return access  # companies and delegations are keyed by personal code
    try:
        known = await source.company_roles(person.personal_code)
    except Exception as exc:  # a bug must not lock the person out: keep what our tables say
        log.error("company roles failed unexpectedly: %s", type(exc).__name__)
        known = CompanyRoles((), "unavailable", reason="error")
    access.registry_unavailable = known.status == "unavailable"
    if known.status == "stale":
        access.companies_as_of = known.as_of
    for role in known.roles:
        sole = role.representation == "sole"
        access.subjects.append(
            SubjectAccess(
                key=company_key(role.registration_number),
                name=role.name,
                basis=Basis.SOLE if sole else Basis.JOINT,
                scopes=ALL_SCOPES if sole else JOINT_SCOPES,
                role=role.role,
            )
        )
    delegated: dict[str, SubjectAccess] = {}
    for row in await active_delegations_received(person.personal_code):  # newest first
        key = company_key(str(row["company_number"]))
        if access.get(key) is not None:
            continue  # an officer's own rights already cover at least as much
        scopes = frozenset(Scope(s) for s in str(row["scopes"]).split(",") if s)
        until = as_utc(row["valid_until"])  # type: ignore[arg-type]
        earlier = delegated.get(key)
        if earlier is not None:
            # Several delegations for one company add up; the newest one is named in audits.
            scopes |= earlier.scopes
            until = max(until, earlier.valid_until or until)
        delegated[key] = SubjectAccess(
            key=key,
            name=str(row["company_name"]) if earlier is None else earlier.name,
            basis=Basis.DELEGATED,
            scopes=scopes,
            delegation_id=row["id"] if earlier is None else earlier.delegation_id,  # type: ignore[arg-type]
            valid_until=until,
        )
    access.subjects.extend(delegated.values())
    return access


def authorize(
    access: SubjectAccess | None,
    *,
    level: Level,
    auth: AuthSettings,
    scope: Scope | None = None,
    allows: Callable[[SubjectAccess], bool] | None = None,
    floor: Level = Level.LOW,
    message: str = NOT_YOURS,
) -> SubjectAccess:
    """The guard of every operation for a subject: `access` (the viewer's entry in their
    `AccessList` for the subject, None when they have none) must exist and include `scope`
    (or satisfy `allows`) — else Forbidden with `message`, the same for a subject that does
    not exist —, and a login of `level` must be strong enough for it — else StepUpNeeded."""
    if access is None or (scope is not None and not access.allows(scope)):
        raise Forbidden(message)
    if allows is not None and not allows(access):
        raise Forbidden(message)
    require_level(level, access.key, auth, floor=floor)
    return access


async def require(
    person: PersonRecord, subject_key: str, scope: Scope, source: RepresentationSource
) -> SubjectAccess:
    """The access `person` has to `subject_key` if it includes `scope`; Forbidden otherwise.

    For services called after the login level was checked (`authorize`)."""
    subject = (await subjects_for(person, source)).get(subject_key)
    if subject is None or not subject.allows(scope):
        raise Forbidden(NOT_YOURS)
    return subject
