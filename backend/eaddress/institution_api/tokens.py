"""Institution access tokens: short-lived JWTs (RFC 9068 profile), HS256 with the token key.

Why JWTs and not opaque tokens in the database: checking a token is then a signature check in
memory, with no database round trip per API call (the send path must sustain hundreds of
messages a second), and issuing one writes nothing. What a stored token would add — revoking
it before it expires — is covered by the short lifetime (settings `EADDRESS_TOKEN_TTL_S`,
10 minutes by default) and by refusing a disabled institution on every call.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import Key
from joserfc.jwt import JWTClaimsRegistry

from backend.lib.errors import Forbidden, Unauthenticated

SCOPE_SEND = "eaddress.send"
SCOPE_READ = "eaddress.read"
SCOPE_CATALOGUE_WRITE = "catalogue:write"
"""Publishing the institution's own services in the catalogue (backend/catalogue/publishing)."""
SCOPE_APPLICATIONS_READ = "applications:read"
SCOPE_APPLICATIONS_WRITE = "applications:write"
"""Reading and moving applications for the institution's own services (backend/applications)."""
SCOPE_FEEDBACK_READ = "feedback:read"
"""Reading the feedback on the institution's own catalogue pages (backend/feedback/api)."""
SCOPE_FEEDBACK_ANSWER = "feedback:answer"
"""Answering problem reports about the institution's own pages (backend/feedback/reports)."""
SCOPE_NOTIFY_SEND = "notify:send"
"""Templates and non-legal notices through the notification centre (backend/notifications)."""
EADDRESS_SCOPES = (SCOPE_SEND, SCOPE_READ)
SCOPES = (
    *EADDRESS_SCOPES,
    SCOPE_CATALOGUE_WRITE,
    SCOPE_APPLICATIONS_READ,
    SCOPE_APPLICATIONS_WRITE,
    SCOPE_FEEDBACK_READ,
    SCOPE_FEEDBACK_ANSWER,
    SCOPE_NOTIFY_SEND,
)
"""Every scope an institution client may hold; one token endpoint serves every API."""
LEEWAY_S = 30


class InvalidToken(Unauthenticated):
    code = "invalid_token"

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer error="invalid_token"'}


class InsufficientScope(Forbidden):
    code = "insufficient_scope"

    def __init__(self, scope: str) -> None:
        super().__init__(f"This call needs the scope {scope}.")
        self.scope = scope

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{self.scope}"'}


@dataclass(frozen=True)
class InstitutionPrincipal:
    """Who is calling the institution API, as proven by the access token."""

    institution_id: uuid.UUID
    client_id: str
    scopes: frozenset[str]

    @property
    def owner_key(self) -> str:
        return f"institution:{self.institution_id}"

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise InsufficientScope(scope)


def audience(public_url: str) -> str:
    return f"{public_url}/api/eaddress/v1"


def issue_token(
    key: Key,
    *,
    issuer: str,
    institution_id: uuid.UUID,
    client_id: str,
    scopes: list[str],
    ttl_s: int,
    now: int | None = None,
) -> str:
    issued = int(time.time()) if now is None else now
    claims = {
        "iss": issuer,
        "aud": audience(issuer),
        "sub": str(institution_id),
        "client_id": client_id,
        "scope": " ".join(scopes),
        "iat": issued,
        "exp": issued + ttl_s,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode({"alg": "HS256", "kid": key.kid, "typ": "at+jwt"}, claims, key)


@dataclass
class VerifiedTokens:
    """Tokens this process has verified, until they expire: a client reuses one token for
    many calls, and decoding a JWT was the largest single cost of a send after the database.
    Only successful verifications are kept; the cache is bounded and simply emptied when full.
    """

    limit: int = 10_000
    _seen: dict[str, tuple[InstitutionPrincipal, float]] = field(default_factory=dict)

    def verify(self, key: Key, token: str, *, issuer: str) -> InstitutionPrincipal:
        now = time.time()
        if (hit := self._seen.get(token)) is not None and hit[1] > now:
            return hit[0]
        principal, expires = _verify(key, token, issuer=issuer)
        if len(self._seen) >= self.limit:
            self._seen.clear()
        self._seen[token] = (principal, expires)
        return principal


def verify_token(key: Key, token: str, *, issuer: str) -> InstitutionPrincipal:
    """The principal a valid token names; InvalidToken for anything forged, expired or odd."""
    return _verify(key, token, issuer=issuer)[0]


def _verify(key: Key, token: str, *, issuer: str) -> tuple[InstitutionPrincipal, float]:
    try:
        decoded = jwt.decode(token, key, algorithms=["HS256"])
        if decoded.header.get("kid") != key.kid or decoded.header.get("typ") != "at+jwt":
            raise InvalidToken("The access token was not issued here.")
        JWTClaimsRegistry(
            leeway=LEEWAY_S,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience(issuer)},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(decoded.claims)
        claims = decoded.claims
        principal = InstitutionPrincipal(
            institution_id=uuid.UUID(str(claims["sub"])),
            client_id=str(claims.get("client_id", "")),
            scopes=frozenset(str(claims.get("scope", "")).split()),
        )
        return principal, float(claims["exp"])
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidToken("The access token is invalid or has expired.") from exc
