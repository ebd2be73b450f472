"""Access tokens of the sandbox's token endpoint: signed JWTs (joserfc, HS256) with a key made
for each sandbox app instance, so a token from one sandbox is forged in the eyes of another."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import OctKey

ISSUER = "urn:vienuviet:registry-sandbox"
AUDIENCE = "urn:vienuviet:state-registries"
ALGORITHMS = ["HS256"]


class TokenRejected(Exception):
    """The bearer token is unusable; `description` is safe to send back (RFC 6750)."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class TokenIssuer:
    def __init__(self, client_id: str, ttl_s: int, clock: Callable[[], float]) -> None:
        self._key = OctKey.generate_key(256)
        self._client_id = client_id
        self.ttl_s = ttl_s
        self._clock = clock

    def issue(self, scopes: Iterable[str]) -> tuple[str, int]:
        """A token for `scopes`; returns it with its lifetime in seconds."""
        now = int(self._clock())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": self._client_id,
            "client_id": self._client_id,
            "iat": now,
            "exp": now + self.ttl_s,
            "jti": secrets.token_hex(12),
            "scope": " ".join(sorted(scopes)),
        }
        return jwt.encode({"alg": "HS256"}, claims, self._key, algorithms=ALGORITHMS), self.ttl_s

    def verify(self, token: str) -> frozenset[str]:
        """The scopes of a valid token; raises TokenRejected otherwise."""
        try:
            decoded = jwt.decode(token, self._key, algorithms=ALGORITHMS)
        except (JoseError, ValueError):
            raise TokenRejected(
                "The access token is malformed or its signature is invalid"
            ) from None
        registry = jwt.JWTClaimsRegistry(
            now=lambda: int(self._clock()),
            iss={"essential": True, "value": ISSUER},
            aud={"essential": True, "value": AUDIENCE},
            exp={"essential": True},
            scope={"essential": True},
        )
        try:
            registry.validate(decoded.claims)
        except ExpiredTokenError:
            raise TokenRejected("The access token expired") from None
        except JoseError:
            raise TokenRejected("The access token is not for this service") from None
        scope = decoded.claims["scope"]
        if not isinstance(scope, str):
            raise TokenRejected("The access token is not for this service")
        return frozenset(scope.split())
