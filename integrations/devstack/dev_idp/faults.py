"""Test controls: make the next response misbehave in one chosen way.

The relying party's tests arm a fault, run a login, and prove the app refuses the result.
Token faults spoil the ID token of the next token response; authorization faults spoil the
`iss` parameter (RFC 9207) of the next authorization response. Each armed fault is used once.
Bad signatures and unknown key ids are made with real throwaway keys (joserfc), not by editing
bytes, so they fail exactly where a real forgery would.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from typing import Any

from joserfc.jwk import RSAKey

from integrations.devstack.dev_idp.keys import new_key

WRONG_ISSUER = "https://wrong-issuer.invalid"
WRONG_AUDIENCE = "someone-else"
EXPIRED_BY_S = 3600
"""An expired token expired an hour ago: well past any clock-skew leeway."""


class Fault(StrEnum):
    WRONG_ISSUER = "wrong_issuer"
    WRONG_AUDIENCE = "wrong_audience"
    EXPIRED_ID_TOKEN = "expired_id_token"  # noqa: S105 - a fault name
    UNKNOWN_KID = "unknown_kid"
    WRONG_NONCE = "wrong_nonce"
    BAD_SIGNATURE = "bad_signature"
    WRONG_ISS_PARAMETER = "wrong_iss_parameter"
    MISSING_ISS_PARAMETER = "missing_iss_parameter"

    @property
    def kind(self) -> str:
        authorization = (Fault.WRONG_ISS_PARAMETER, Fault.MISSING_ISS_PARAMETER)
        return "authorization" if self in authorization else "token"


class Faults:
    """At most one armed fault per kind; state of one provider instance."""

    def __init__(self) -> None:
        self._armed: dict[str, Fault] = {}

    def arm(self, fault: Fault) -> None:
        self._armed[fault.kind] = fault

    def clear(self) -> None:
        self._armed.clear()

    def armed(self) -> list[str]:
        return sorted(fault.value for fault in self._armed.values())

    def take(self, kind: str) -> Fault | None:
        return self._armed.pop(kind, None)


def spoil_id_token(
    fault: Fault | None, header: dict[str, Any], claims: dict[str, Any], key: RSAKey
) -> RSAKey:
    """Apply a token fault to `header` and `claims` in place; return the key to sign with."""
    if fault is Fault.WRONG_ISSUER:
        claims["iss"] = WRONG_ISSUER
    elif fault is Fault.WRONG_AUDIENCE:
        claims["aud"] = WRONG_AUDIENCE
    elif fault is Fault.EXPIRED_ID_TOKEN:
        lifetime = int(claims["exp"]) - int(claims["iat"])
        claims["exp"] = int(claims["iat"]) - EXPIRED_BY_S
        claims["iat"] = claims["exp"] - lifetime
    elif fault is Fault.WRONG_NONCE:
        claims["nonce"] = secrets.token_urlsafe(16)
    elif fault is Fault.UNKNOWN_KID:
        stranger = new_key()
        header["kid"] = stranger.kid
        return stranger
    elif fault is Fault.BAD_SIGNATURE:
        # The published kid, a different key: the signature cannot verify.
        return new_key()
    return key
