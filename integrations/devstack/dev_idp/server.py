"""Authlib's AuthorizationServer wired to one provider instance, plus /userinfo and logout.

The framework-facing methods (`create_oauth2_request`, `handle_response`, `send_signal`) are
the adapter Authlib expects each integration to supply; see `adapter.py`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from authlib.common.security import generate_token
from authlib.consts import default_json_headers
from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Request, ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oidc.core import UserInfoEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from joserfc.jwk import KeySet

from integrations.devstack.dev_idp.adapter import OAuthResponse, ParsedRequest
from integrations.devstack.dev_idp.grants import (
    CodeGrant,
    IdTokens,
    IssuerParam,
    PrivateKeyJWT,
    S256Required,
)
from integrations.devstack.dev_idp.keys import ALGORITHM
from integrations.devstack.dev_idp.models import AccessToken, Client, LoggedInUser

if TYPE_CHECKING:
    from integrations.devstack.dev_idp.provider import Provider


class IdPServer(AuthorizationServer):
    def __init__(self, provider: Provider) -> None:
        super().__init__()
        self.provider = provider

    def query_client(self, client_id: object) -> Client | None:
        return self.provider.clients.get(client_id) if isinstance(client_id, str) else None

    def save_token(self, token: dict[str, Any], request: ParsedRequest) -> None:
        self.provider.store.add_token(
            AccessToken(
                access_token=token["access_token"],
                client=request.client,
                user=request.user,
                scope=token.get("scope", ""),
                issued_at=int(time.time()),
                expires_in=int(token["expires_in"]),
                code=request.authorization_code.code,
            )
        )

    def create_oauth2_request(self, request: object) -> OAuth2Request:
        if not isinstance(request, OAuth2Request):
            raise TypeError(
                "read the request with integrations.devstack.dev_idp.adapter.read_request"
            )
        return request

    def create_json_request(self, request: object) -> object:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Any:
        return OAuthResponse(status, body, headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Authlib's hook for framework signals; nothing listens here."""


class BearerTokens(BearerTokenValidator):
    def __init__(self, provider: Provider) -> None:
        super().__init__()
        self.provider = provider

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        return self.provider.store.tokens.get(token_string)


class UserInfo(UserInfoEndpoint):
    def __init__(self, provider: Provider) -> None:
        protector = ResourceProtector()
        protector.register_token_validator(BearerTokens(provider))
        super().__init__(resource_protector=protector)
        self.provider = provider

    def __call__(self, request: ParsedRequest) -> tuple[int, Any, list[tuple[str, str]]]:
        # Authlib's version calls Flask's `acquire_token()`; the base protector takes the
        # request explicitly.
        token = self.resource_protector.validate_request(["openid"], request)
        claims = self.generate_user_info(token.get_user(), token.get_scope())
        return 200, claims, list(default_json_headers)

    def generate_user_info(self, user: LoggedInUser, scope: str) -> dict[str, Any]:
        return self.provider.claims(user, scope)

    def get_issuer(self) -> str:
        return self.provider.settings.issuer


class EndSession(EndSessionEndpoint):
    def __init__(self, provider: Provider) -> None:
        super().__init__()
        self.provider = provider

    def get_server_jwks(self) -> KeySet:
        return self.provider.keys.verification_keys()

    def get_algorithms(self) -> list[str]:
        return [ALGORITHM]

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        request: ParsedRequest = end_session_request.request
        self.provider.store.end_session(request.cookies.get(self.provider.cookies.session))


def build_server(provider: Provider) -> IdPServer:
    settings = provider.settings
    server = IdPServer(provider)
    server.register_token_generator(
        "default",
        BearerTokenGenerator(
            access_token_generator=lambda **_: generate_token(42),
            expires_generator=lambda client, grant_type: settings.access_token_lifetime_s,
        ),
    )
    server.register_client_auth_method("private_key_jwt", PrivateKeyJWT(provider))
    server.register_grant(CodeGrant, [S256Required(required=True), IdTokens(provider)])
    server.register_extension(IssuerParam(provider))
    server.register_endpoint(UserInfo(provider))
    server.register_endpoint(EndSession(provider))
    return server
