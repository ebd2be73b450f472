"""One development identity provider: its keys, clients, state, faults and discovery document.

Everything lives on the instance (never in module globals), so two providers in one process
— two tests, say — know nothing of each other.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from integrations.devstack.dev_idp.claims import claims_supported, person_claims
from integrations.devstack.dev_idp.faults import Faults
from integrations.devstack.dev_idp.keys import ALGORITHM, KeyRing
from integrations.devstack.dev_idp.methods import LEVELS
from integrations.devstack.dev_idp.models import SCOPES_SUPPORTED, Client, LoggedInUser
from integrations.devstack.dev_idp.server import build_server
from integrations.devstack.dev_idp.settings import DevIdPSettings
from integrations.devstack.dev_idp.store import Store

PATHS = {
    "discovery": "/.well-known/openid-configuration",
    "jwks": "/jwks",
    "authorize": "/authorize",
    "token": "/token",
    "userinfo": "/userinfo",
    "end_session": "/end-session",
    "faults": "/_test/faults",
    "rotate_key": "/_test/rotate-key",
}


@dataclass(frozen=True)
class CookieNames:
    browser: str
    """Binds login requests (and their CSRF tokens) to the browser that started them."""
    session: str
    """Who is logged in at the provider in this browser (single sign-on)."""


class Provider:
    def __init__(self, settings: DevIdPSettings) -> None:
        self.settings = settings
        self.keys = KeyRing.open(settings.signing_key_path)
        self.store = Store(code_retention_s=settings.access_token_lifetime_s)
        self.faults = Faults()
        self.clients = {c.client_id: Client(c) for c in settings.clients}
        self.personas = {p.slug: p for p in settings.personas}
        prefix = "__Host-" if settings.is_https and not settings.base_path else ""
        self.cookies = CookieNames(f"{prefix}idp_browser", f"{prefix}idp_session")
        self.form_secret = secrets.token_bytes(32)
        """Keys the logout confirmation form's CSRF token (HMAC of the browser id)."""
        self.server = build_server(self)

    def endpoint(self, name: str) -> str:
        return self.settings.issuer + PATHS[name]

    def claims(self, user: LoggedInUser, scope: str) -> dict[str, Any]:
        return person_claims(user, scope, self.settings.person_code_claim, self.settings.today)

    def metadata(self) -> dict[str, Any]:
        """OpenID Provider Metadata (OpenID Connect Discovery 1.0, RFC 8414, RFC 9207)."""
        return {
            "issuer": self.settings.issuer,
            "authorization_endpoint": self.endpoint("authorize"),
            "token_endpoint": self.endpoint("token"),
            "userinfo_endpoint": self.endpoint("userinfo"),
            "jwks_uri": self.endpoint("jwks"),
            "end_session_endpoint": self.endpoint("end_session"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
            "scopes_supported": list(SCOPES_SUPPORTED),
            "claims_supported": claims_supported(self.settings.person_code_claim),
            "acr_values_supported": list(LEVELS),
            "prompt_values_supported": ["none", "login", "consent"],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
            "authorization_response_iss_parameter_supported": True,
        }
