"""Settings of the registry sandbox (`vienuviet sandbox`), separate from the app's settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

SOURCES: tuple[str, ...] = (
    "population_register",
    "ssia",
    "nhs",
    "csdd",
    "land_service",
    "srs",
    "municipalities",
    "enterprise_register",
)
"""The registries the sandbox plays; also the OAuth scopes and the names faults are set by."""

PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "population_register": "/population-register/v1",
        "ssia": "/ssia/v1",
        "nhs": "/nhs/v1",
        "csdd": "/csdd/v1",
        "land_service": "/land-service/v1",
        "srs": "/srs/v1",
        "municipalities": "/municipalities/v1",
        "enterprise_register": "/enterprise-register/v1",
        # Not registries, but faults can be injected into them too.
        "oauth": "/oauth",
        "sms_gateway": "/sms",
    }
)

DEFAULT_LATENCY_MS: Mapping[str, int] = MappingProxyType(
    {
        "population_register": 150,
        "ssia": 400,
        "nhs": 250,
        "csdd": 100,
        "land_service": 600,
        "srs": 800,
        "municipalities": 300,
        "enterprise_register": 50,
        "oauth": 20,
        "sms_gateway": 50,
    }
)
"""Realistic per-source answer times (50–800 ms); tests pass `ZERO_LATENCY`."""

ZERO_LATENCY: Mapping[str, int] = MappingProxyType(dict.fromkeys(PREFIXES, 0))


@dataclass(frozen=True)
class SandboxSettings:
    host: str = "127.0.0.1"
    """Address `vienuviet sandbox` binds to."""
    port: int = 8100
    """Port `vienuviet sandbox` binds to (the app's default REGISTRY_URL points here)."""
    client_id: str = "vienuviet"
    """The one OAuth client the token endpoint accepts (the app's REGISTRY_CLIENT_ID default)."""
    client_secret: str = "vienuviet-sandbox-secret"  # noqa: S105 - development stand-in
    """Its secret (the app's REGISTRY_CLIENT_SECRET default)."""
    admin_token: str = "sandbox-admin"  # noqa: S105 - development stand-in
    """Bearer token for /admin (faults, clock, stats, recorded SMS)."""
    sms_token: str = "vienuviet-sms-token"  # noqa: S105 - development stand-in
    """Bearer token the SMS gateway stand-in accepts (an API key, as SMS providers use)."""
    token_ttl_s: int = 300
    """Lifetime of issued access tokens (short-lived on purpose)."""
    latency_ms: Mapping[str, int] = field(default_factory=lambda: DEFAULT_LATENCY_MS)
    """Base answer time per source in milliseconds, before any injected latency."""
    today: date | None = None
    """Pin the sandbox's "today" (tests); None means today in Europe/Riga. A request may
    override it with the header `X-Sandbox-Today: YYYY-MM-DD`."""
    hang_max_s: float = 600.0
    """A hung request gives up after this long (504) if the client never does, so a server can
    always shut down."""
    sms_keep: int = 1000
    """Most recorded SMS messages kept (oldest dropped first)."""
