"""The objects Authlib's provider components ask for: clients, codes, tokens, the logged-in user.

They implement Authlib's model mixins; everything lives in memory on one provider instance.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, scope_to_list
from authlib.oidc.core import AuthorizationCodeMixin

from integrations.devstack.dev_idp.methods import LoginMethod
from integrations.devstack.dev_idp.settings import RegisteredClient
from integrations.devstack.personas import Persona

SCOPES_SUPPORTED = ("openid", "profile")


@dataclass(frozen=True)
class LoggedInUser:
    """Who logged in at the provider, how, and when."""

    persona: Persona
    method: LoginMethod
    auth_time: int

    def get_user_id(self) -> str:
        return self.persona.sub


class Client(ClientMixin):
    def __init__(self, registration: RegisteredClient) -> None:
        self.registration = registration
        self.client_id = registration.client_id

    @property
    def client_metadata(self) -> dict[str, Any]:
        # Read by Authlib's RP-initiated logout endpoint.
        return {"post_logout_redirect_uris": list(self.registration.post_logout_redirect_uris)}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # OpenID Connect makes redirect_uri REQUIRED: never fill one in.
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The supported scopes among those asked for; None (invalid_scope) without `openid`.

        Unknown scopes are ignored rather than refused, as RFC 6749 §3.3 allows and as most
        real providers do.
        """
        requested = scope_to_list(scope) or []
        if "openid" not in requested:
            return None
        return " ".join(name for name in SCOPES_SUPPORTED if name in requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.registration.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        expected = self.registration.client_secret
        return bool(expected) and hmac.compare_digest(
            str(expected).encode(), client_secret.encode()
        )

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method == self.registration.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: LoggedInUser
    expires_at: int
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    used: bool = False
    """Redeemed once: a second attempt is refused and revokes what the first one got."""

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.user.auth_time

    def get_acr(self) -> str:
        return self.user.method.acr

    def get_amr(self) -> list[str]:
        return list(self.user.method.amr)


@dataclass
class AccessToken(TokenMixin):
    access_token: str
    client: Client
    user: LoggedInUser
    scope: str
    issued_at: int
    expires_in: int
    code: str
    """The authorization code this token was issued for (revoked together on code replay)."""
    revoked: bool = field(default=False)

    def check_client(self, client: Client) -> bool:
        return bool(client.client_id == self.client.client_id)

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> LoggedInUser:
        return self.user

    def get_client(self) -> Client:
        return self.client
