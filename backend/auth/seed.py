"""Demo data for identity: the personas as people, and Ilze's delegation for Ozols Tech."""

from __future__ import annotations

from datetime import timedelta

from backend.auth.tables import Delegation, Person
from backend.lib.time import riga_today, utcnow
from backend.settings import Settings
from integrations.personas import OZOLS_TECH, PERSONAS, persona


async def seed_people(settings: Settings) -> None:
    """Every persona as a person known to us (as if each had logged in once)."""
    for someone in PERSONAS:
        oidc_key = f"{settings.oidc.issuer} {someone.sub}"
        if await Person.exists().where(Person.oidc_key == oidc_key):
            continue
        await Person.insert(
            Person(
                oidc_key=oidc_key,
                personal_code=someone.personal_code,
                eidas_id=someone.eidas_id,
                given_name=someone.given_name,
                family_name=someone.family_name,
                birth_date=someone.born_on(riga_today()),
                locale=someone.locale,
            )
        ).run()


async def seed_delegations(settings: Settings) -> None:
    """Mārtiņš (sole representative of Ozols Tech) lets Ilze, the accountant, act for it."""
    martins, ilze = persona("martins"), persona("ilze")
    grantor = (
        await Person.select(Person.id)
        .where(Person.oidc_key == f"{settings.oidc.issuer} {martins.sub}")
        .first()
    )
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
            grantor=grantor["id"],
            grantee_personal_code=ilze.personal_code,
            scopes="obligations,send_mail,view_mail",
            valid_from=utcnow(),
            valid_until=utcnow() + timedelta(days=365),
        )
    ).run()
