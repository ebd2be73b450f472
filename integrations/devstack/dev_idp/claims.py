"""The claims about a person, the same in the ID token and at /userinfo.

`openid` gives the identity: `sub`, the personal code (under the configured claim name) or the
eIDAS person identifier. `profile` adds names, birth date and locale.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from authlib.oauth2.rfc6749 import scope_to_list

from backend.lib.time import riga_today
from integrations.devstack.dev_idp.models import LoggedInUser

EIDAS_CLAIM = "eidas_person_identifier"
PROFILE_CLAIMS = ("given_name", "family_name", "name", "birthdate", "locale")


def person_claims(
    user: LoggedInUser, scope: str, person_code_claim: str, today: date | None = None
) -> dict[str, Any]:
    persona = user.persona
    claims: dict[str, Any] = {"sub": persona.sub}
    if persona.personal_code:
        claims[person_code_claim] = persona.personal_code
    if persona.eidas_id:
        claims[EIDAS_CLAIM] = persona.eidas_id
    if "profile" in (scope_to_list(scope) or []):
        claims.update(
            given_name=persona.given_name,
            family_name=persona.family_name,
            name=persona.name,
            locale=persona.locale,
        )
        if born := persona.born_on(today or riga_today()):
            claims["birthdate"] = born.isoformat()
    return claims


def claims_supported(person_code_claim: str) -> list[str]:
    return [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "acr",
        "amr",
        "at_hash",
        person_code_claim,
        EIDAS_CLAIM,
        *PROFILE_CLAIMS,
    ]
