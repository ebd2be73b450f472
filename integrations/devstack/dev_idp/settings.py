"""Settings of the development identity provider: its address, registered clients, lifetimes.

`dev_idp_settings(settings)` derives them from the app's own settings so that the two agree by
construction (issuer, client id and secret, redirect URIs, the personal-code claim name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from backend.settings import Settings
from integrations.devstack.personas import PERSONAS, Persona

DEFAULT_ISSUER = "http://127.0.0.1:8001"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
SIGNING_KEYS_FILE = "dev_idp_signing_keys.json"


class DevIdPRefused(RuntimeError):
    """The development identity provider must not run outside development mode."""


@dataclass(frozen=True)
class RegisteredClient:
    """A relying party the provider knows, as a real provider's client registration would."""

    client_id: str
    redirect_uris: tuple[str, ...]
    """Exact redirect URIs accepted at /authorize (compared as strings, no patterns)."""
    client_secret: str | None = None
    """Secret for `client_secret_basic`; unset for a `private_key_jwt` client."""
    jwks: Mapping[str, Any] | None = None
    """Public JWKS of a `private_key_jwt` client; when set, that is the only method accepted."""
    post_logout_redirect_uris: tuple[str, ...] = ()
    """Where /end-session may send the browser afterwards (exact match)."""

    def __post_init__(self) -> None:
        if not self.client_secret and not self.jwks:
            raise ValueError(f"client {self.client_id!r} needs a client_secret or a jwks")
        if not self.redirect_uris:
            raise ValueError(f"client {self.client_id!r} needs at least one redirect URI")

    @property
    def token_endpoint_auth_method(self) -> str:
        return "private_key_jwt" if self.jwks else "client_secret_basic"


def default_client(
    public_url: str = DEFAULT_PUBLIC_URL,
    client_id: str = "vienuviet-dev",
    client_secret: str = "vienuviet-dev-secret",  # noqa: S107 - development client, not a secret
) -> RegisteredClient:
    """The Vienuviet web app as registered at the development provider."""
    base = public_url.rstrip("/")
    return RegisteredClient(
        client_id=client_id,
        client_secret=client_secret,
        redirect_uris=(f"{base}/auth/callback",),
        post_logout_redirect_uris=(f"{base}/",),
    )


@dataclass(frozen=True)
class DevIdPSettings:
    issuer: str = DEFAULT_ISSUER
    """Issuer identifier; every endpoint lives under it (a path such as /idp is allowed)."""
    host: str = "127.0.0.1"
    """Address `vienuviet idp` binds to."""
    port: int = 8001
    """Port `vienuviet idp` binds to."""
    clients: tuple[RegisteredClient, ...] = field(default_factory=lambda: (default_client(),))
    """Registered relying parties."""
    person_code_claim: str = "personal_code"
    """Claim name carrying the Latvian personal code (the app's `OIDC_PERSON_CODE_CLAIM`)."""
    signing_key_path: Path | None = None
    """JSON file holding the signing keys, created when missing; unset: keys live in memory."""
    code_lifetime_s: int = 60
    """How long an authorization code may be redeemed (RFC 6749 recommends at most 10 min)."""
    access_token_lifetime_s: int = 600
    id_token_lifetime_s: int = 600
    session_lifetime_s: int = 8 * 3600
    """How long the provider remembers who logged in in this browser (single sign-on)."""
    login_request_lifetime_s: int = 15 * 60
    """How long the persona picker page stays valid."""
    personas: tuple[Persona, ...] = PERSONAS
    today: date | None = None
    """Pins the day persona birth dates count from (tests pin it with the registry sandbox's,
    so both tell the same age after midnight); unset: today in Riga."""

    def __post_init__(self) -> None:
        parts = urlsplit(self.issuer)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"issuer must be an http(s) URL, got {self.issuer!r}")
        if parts.query or parts.fragment or self.issuer.endswith("/"):
            raise ValueError("issuer must have no query, fragment or trailing slash")

    @property
    def base_path(self) -> str:
        """The issuer's path ('' for a bare origin): routes are mounted under it."""
        return urlsplit(self.issuer).path

    @property
    def is_https(self) -> bool:
        return self.issuer.startswith("https://")


def dev_idp_settings(settings: Settings) -> DevIdPSettings:
    """The provider `vienuviet idp` runs for these app settings.

    Raises DevIdPRefused outside development mode: a provider that logs anyone in as anyone
    must never run next to production settings.
    """
    if not settings.web.debug:
        raise DevIdPRefused(
            "the development identity provider runs only in development mode (set DEBUG=1); "
            "in production point OIDC_ISSUER at the real identity provider"
        )
    issuer = settings.oidc.issuer.rstrip("/")
    parts = urlsplit(issuer)
    return DevIdPSettings(
        issuer=issuer,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or (443 if parts.scheme == "https" else 80),
        clients=(
            default_client(
                settings.web.public_url, settings.oidc.client_id, settings.oidc.client_secret
            ),
        ),
        person_code_claim=settings.oidc.person_code_claim,
        signing_key_path=settings.web.var_dir / SIGNING_KEYS_FILE,
    )
