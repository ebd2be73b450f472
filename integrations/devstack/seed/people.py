"""Demo data for identity: the personas as people, and Ilze's delegation for Ozols Tech."""

from __future__ import annotations

import uuid
from datetime import timedelta

from backend.auth.people import Claims, find_by_personal_code, record_person
from backend.auth.tables import Delegation, Person
from backend.lib.time import riga_today, utcnow
from backend.settings import Settings
from integrations.devstack.personas import OZOLS_TECH, PERSONAS, Persona, persona


def persona_claims(someone: Persona, issuer: str) -> Claims:
    """What the development identity provider at `issuer` says about a persona at login."""
    return Claims(
        issuer=issuer,
        sub=someone.sub,
        personal_code=someone.personal_code,
        eidas_id=someone.eidas_id,
        given_name=someone.given_name,
        family_name=someone.family_name,
        birth_date=someone.born_on(riga_today()),
        locale=someone.locale,
    )


async def seed_people(settings: Settings) -> dict[str, uuid.UUID]:
    """Every persona as a person known to us (as if each had logged in once through the
    configured provider), through the same door as a login: someone seeded while `OIDC_ISSUER`
    named another provider is found by their personal code and stays who they were.
    Returns each persona's person id by slug."""
    engine = Person._meta.db
    people = {}
    for someone in PERSONAS:
        person = await record_person(
            persona_claims(someone, settings.oidc.issuer), engine, login=False
        )
        people[someone.slug] = person.id
    return people


async def seed_delegations(settings: Settings) -> None:
    """Mārtiņš (sole representative of Ozols Tech) lets Ilze, the accountant, act for it."""
    martins, ilze = persona("martins"), persona("ilze")
    grantor = await find_by_personal_code(martins.personal_code or "")
    if grantor is None:
        return
    already = await Delegation.exists().where(
        (Delegation.company_number == OZOLS_TECH.registration_number)
        & (Delegation.grantee_personal_code == ilze.personal_code)
        & Delegation.revoked_at.is_null()
        & (Delegation.valid_until > utcnow())
    )
    if already:
        return
    await Delegation.insert(
        Delegation(
            company_number=OZOLS_TECH.registration_number,
            company_name=f"{OZOLS_TECH.name} {OZOLS_TECH.legal_form}",
            grantor=grantor.id,
            grantee_personal_code=ilze.personal_code,
            scopes="obligations,send_mail,view_mail",
            valid_from=utcnow(),
            valid_until=utcnow() + timedelta(days=365),
        )
    ).run()
