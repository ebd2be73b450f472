"""Who people are: the OpenID Connect provider, sessions, assurance levels and rate limits."""

from __future__ import annotations

from pathlib import Path

from backend.settings.declare import Context, Invalid, setting, settings_group

LEVELS = ("low", "substantial", "high")


def without_trailing_slash(raw: str, ctx: Context) -> str:
    """A base URL as the code joins paths to it."""
    return raw.rstrip("/")


def _private_key(raw: str, ctx: Context) -> str:
    """A PEM given inline, or the path of a file holding one."""
    if "-----BEGIN" in raw:
        return raw
    path = Path(raw)
    if not path.is_file():
        raise Invalid("must be a PEM or the path of a PEM file")
    return path.read_text()


@settings_group
class OIDCSettings:
    """Identity provider (OpenID Connect)."""

    issuer: str = setting(
        "OIDC_ISSUER",
        default="http://127.0.0.1:8001",
        parse=without_trailing_slash,
        doc="The identity provider; its metadata comes from "
        "/.well-known/openid-configuration. `make run` starts the development provider at "
        "this default address.",
    )
    client_id: str = setting(
        "OIDC_CLIENT_ID", default="vienuviet-dev", doc="This app's client id at the provider."
    )
    client_secret: str = setting(
        "OIDC_CLIENT_SECRET",
        secret=True,
        default="vienuviet-dev-secret",
        doc="Its secret (for client_secret_basic).",
    )
    person_code_claim: str = setting(
        "OIDC_PERSON_CODE_CLAIM",
        default="personal_code",
        doc="The ID token / userinfo claim carrying the Latvian personal code.",
    )


@settings_group
class AuthSettings:
    """Sessions, assurance levels and rate limits.

    See docs/auth.md.
    """

    session_idle_s: int = setting(
        "SESSION_IDLE_SECONDS",
        ge=1,
        default=15 * 60,
        doc="A session unused this long ends (seconds; 15 minutes).",
    )
    session_absolute_s: int = setting(
        "SESSION_ABSOLUTE_SECONDS",
        ge=1,
        default=12 * 3600,
        doc="No session outlives this, however active (seconds; 12 hours).",
    )
    token_auth_method: str = setting(
        "OIDC_TOKEN_AUTH_METHOD",
        default="client_secret_basic",
        choices=("client_secret_basic", "private_key_jwt"),
        doc="How the app authenticates at the provider's token endpoint; private_key_jwt "
        "needs OIDC_CLIENT_PRIVATE_KEY.",
    )
    client_private_key: str | None = setting(
        "OIDC_CLIENT_PRIVATE_KEY",
        secret=True,
        default=None,
        parse=_private_key,
        doc="The key for private_key_jwt: a PEM, or the path of a PEM file.",
    )
    min_level_eaddress: str = setting(
        "AUTH_MIN_LEVEL_EADDRESS",
        default="substantial",
        choices=LEVELS,
        doc="Assurance level needed for e-address mail: low, substantial or high.",
    )
    min_level_company: str = setting(
        "AUTH_MIN_LEVEL_COMPANY",
        default="substantial",
        choices=LEVELS,
        doc="Assurance level needed to act for a company: low, substantial or high.",
    )
    login_rate_per_minute: int = setting(
        "LOGIN_RATE_PER_MINUTE", ge=1, default=20, doc="Login attempts per client IP per minute."
    )
    mutation_rate_per_minute: int = setting(
        "MUTATION_RATE_PER_MINUTE",
        ge=1,
        default=60,
        doc="GraphQL mutations per person (and, doubled, per client IP) per minute.",
    )
    roles_ttl_s: int = setting(
        "COMPANY_ROLES_TTL_S",
        default=300,
        ge=0,
        doc="A person's company roles (who may act for which company) are read from the "
        "Enterprise Register like any registry data (DASHBOARD_ENTERPRISE_REGISTER_BUDGET_MS is "
        "how long a page waits for them): roles younger than this are used without asking "
        "again (seconds).",
    )
    roles_last_known_s: int = setting(
        "COMPANY_ROLES_LAST_KNOWN_S",
        default=24 * 3600,
        ge=1,
        doc="How long the last good roles are used while the register fails (seconds): a "
        "representative keeps their companies through an outage this long.",
    )
