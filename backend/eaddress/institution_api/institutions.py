"""Registering institutions as API clients, and looking them up for a token or an API call."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from backend.eaddress.institution_api.credentials import (
    hash_secret,
    new_client_id,
    new_client_secret,
)
from backend.eaddress.institution_api.tokens import EADDRESS_SCOPES, SCOPES, InvalidToken
from backend.eaddress.tables import Institution
from backend.lib.db import unique_violation
from backend.lib.errors import BadInput
from backend.lib.identifiers import is_company_number
from backend.lib.time import utcnow


@dataclass(frozen=True)
class NewInstitution:
    id: uuid.UUID
    name: str
    client_id: str
    client_secret: str
    """Shown once, at registration; only its hash is kept."""
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class InstitutionClient:
    id: uuid.UUID
    name: str
    registration_number: str
    client_id: str
    secret_hash: str
    scopes: frozenset[str]


def _client(row: dict[str, Any]) -> InstitutionClient:
    return InstitutionClient(
        id=row["id"],
        name=row["name"],
        registration_number=row["registration_number"],
        client_id=row["client_id"],
        secret_hash=row["secret_hash"],
        scopes=frozenset(row["scopes"].split()),
    )


async def register_institution(
    name: str, registration_number: str, scopes: Sequence[str] = EADDRESS_SCOPES
) -> NewInstitution:
    """Create an institution client with fresh credentials; the secret is returned only here."""
    name = name.strip()
    if not name or len(name) > 200:
        raise BadInput("The institution needs a name of at most 200 characters.")
    if not is_company_number(registration_number):
        raise BadInput("The registration number must have 11 digits.")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise BadInput(f"Scopes must be chosen from: {', '.join(SCOPES)}.")
    client_id, secret = new_client_id(), new_client_secret()
    institution_id = uuid.uuid4()
    chosen = tuple(s for s in SCOPES if s in scopes)
    async with unique_violation(
        "An institution with this registration number is registered already.",
        code="institution_exists",
    ):
        await Institution.insert(
            Institution(
                id=institution_id,
                name=name,
                registration_number=registration_number,
                client_id=client_id,
                secret_hash=hash_secret(secret),
                scopes=" ".join(chosen),
                created_at=utcnow(),
            )
        ).run()
    return NewInstitution(institution_id, name, client_id, secret, chosen)


async def institution_id_for_client(client_id: str) -> uuid.UUID | None:
    """The id of the API client with this client id, enabled or not (for features that link
    something to a client: the catalogue's publishers)."""
    row = await Institution.select(Institution.id).where(Institution.client_id == client_id).first()
    return None if row is None else uuid.UUID(str(row["id"]))


async def institution_name(institution_id: uuid.UUID) -> str:
    """The registered name of an institution ("" if unknown): the sender people see."""
    row = await Institution.select(Institution.name).where(Institution.id == institution_id).first()
    return "" if row is None else str(row["name"])


async def client_for_token(client_id: str) -> InstitutionClient | None:
    """The enabled client with this id (None if unknown or disabled)."""
    if not client_id or len(client_id) > 64:
        return None
    row = (
        await Institution.select()
        .where((Institution.client_id == client_id) & Institution.disabled_at.is_null())
        .first()
        .run()
    )
    return _client(row) if row else None


async def require_enabled(institution_id: uuid.UUID) -> None:
    """Refuse a token whose institution has been disabled since it was issued."""
    row = (
        await Institution.select(Institution.disabled_at)
        .where(Institution.id == institution_id)
        .first()
        .run()
    )
    if row is None or row["disabled_at"] is not None:
        raise InvalidToken("This institution's access has been withdrawn.")


async def disable_institution(client_id: str) -> bool:
    """Withdraw a client's access at once (its tokens stop working on their next use)."""
    done = (
        await Institution.update({Institution.disabled_at: utcnow()})
        .where((Institution.client_id == client_id) & Institution.disabled_at.is_null())
        .returning(Institution.id)
        .run()
    )
    return bool(done)


async def institution_by_registration(registration_number: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await Institution.select(Institution.id, Institution.name, Institution.client_id)
        .where(Institution.registration_number == registration_number)
        .first()
        .run()
    )
    return row
