"""Authlib's code grant and its extensions, given this provider's storage and policies.

- `CodeGrant`: authorization_code only; codes single-use and short-lived; a replayed code is
  refused and the tokens issued for it are revoked (RFC 6749 §4.1.2).
- `S256Required`: PKCE is mandatory and only S256 is accepted.
- `IdTokens`: OpenID Connect ID tokens, RS256 with `kid`; test faults are applied here.
- `IssuerParam`: RFC 9207 `iss` in every authorization response (test faults applied here).
- `PrivateKeyJWT`: client authentication with a signed assertion (RFC 7523, OIDC §9).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749 import AuthorizationCodeGrant, InvalidClientError, InvalidRequestError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9207 import IssuerParameter
from authlib.oidc.core import OpenIDCode
from authlib.oidc.core.util import create_half_hash
from joserfc import jwt
from joserfc.jwk import KeySet

from integrations.devstack.dev_idp.faults import WRONG_ISSUER, Fault, spoil_id_token
from integrations.devstack.dev_idp.keys import ALGORITHM
from integrations.devstack.dev_idp.models import AuthorizationCode, Client, LoggedInUser

if TYPE_CHECKING:
    from integrations.devstack.dev_idp.adapter import OAuthResponse, ParsedRequest
    from integrations.devstack.dev_idp.provider import Provider

log = logging.getLogger("vienuviet.dev_idp")


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "private_key_jwt"]

    @property
    def provider(self) -> Provider:
        return self.server.provider  # type: ignore[no-any-return]

    def save_authorization_code(self, code: str, request: ParsedRequest) -> None:
        data = request.payload.data
        self.provider.store.add_code(
            AuthorizationCode(
                code=code,
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                user=request.user,
                expires_at=int(time.time()) + self.provider.settings.code_lifetime_s,
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
            )
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.provider.store.codes.get(code)
        if found is None or found.client_id != client.client_id:
            return None
        if found.used:
            revoked = self.provider.store.revoke_tokens_of(code)
            log.warning("authorization code replayed; %d access token(s) revoked", revoked)
            return None
        return None if found.is_expired() else found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        # Kept, marked used, so that a replay is recognised as one.
        authorization_code.used = True

    def authenticate_user(self, authorization_code: AuthorizationCode) -> LoggedInUser:
        return authorization_code.user


class S256Required(CodeChallenge):
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: CodeGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE is required with 'code_challenge_method=S256'.")
        super().validate_code_challenge(grant, redirect_uri)


class IdTokens(OpenIDCode):
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=False)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: ParsedRequest) -> bool:
        client_id = request.payload.client_id
        return any(
            code.nonce == nonce and code.client_id == client_id
            for code in self.provider.store.codes.values()
        )

    def generate_user_info(self, user: LoggedInUser, scope: str) -> dict[str, Any]:
        return self.provider.claims(user, scope)

    def encode_id_token(self, token: dict[str, Any], request: ParsedRequest) -> str:
        settings = self.provider.settings
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": settings.issuer,
            "aud": request.client.client_id,
            "iat": now,
            "exp": now + settings.id_token_lifetime_s,
        }
        claims.update(self.get_authorization_code_claims(request.authorization_code))
        if access_token := token.get("access_token"):
            claims["at_hash"] = create_half_hash(access_token, ALGORITHM).decode("ascii")
        claims.update(self.generate_user_info(request.user, token["scope"]))
        keys = self.provider.keys
        header = {"alg": ALGORITHM, "kid": keys.kid}
        fault = self.provider.faults.take("token")
        key = spoil_id_token(fault, header, claims, keys.signing_key)
        return jwt.encode(header, claims, key, [ALGORITHM])


class IssuerParam(IssuerParameter):
    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def get_issuer(self) -> str | None:
        fault = self.provider.faults.take("authorization")
        if fault is Fault.MISSING_ISS_PARAMETER:
            return None
        if fault is Fault.WRONG_ISS_PARAMETER:
            return WRONG_ISSUER
        return self.provider.settings.issuer

    def add_issuer_parameter(self, authorization_server: Any, response: OAuthResponse) -> None:
        # Authlib's version asks get_issuer() twice; a fault must be taken exactly once.
        if response.location and (issuer := self.get_issuer()):
            response.location = add_params_to_uri(response.location, {"iss": issuer})


class PrivateKeyJWT(JWTBearerClientAssertion):
    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, provider: Provider) -> None:
        super().__init__(validate_jti=True, leeway=30)
        self.provider = provider

    def get_audiences(self) -> list[str]:
        # OIDC Core §9 names the token endpoint; newer guidance names the issuer: accept both.
        return [self.provider.endpoint("token"), self.provider.settings.issuer]

    def validate_jti(self, claims: dict[str, Any], jti: str) -> bool:
        expires_at = int(claims.get("exp", time.time() + 3600))
        return self.provider.store.use_assertion_id(f"{claims['sub']}\n{jti}", expires_at)

    def resolve_client_public_key(self, client: Client) -> KeySet:
        if not client.registration.jwks:
            raise InvalidClientError(description="The client has no registered keys.")
        return KeySet.import_key_set(dict(client.registration.jwks))  # type: ignore[arg-type]
