"""The state registries and the features reading them: dashboard, e-address, obligations."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from backend.settings.declare import Context, Invalid, family, setting, settings_group
from backend.settings.identity import without_trailing_slash

DEFAULT_REGISTRY_URL = "http://127.0.0.1:8100"
"""Where `vienuviet sandbox` listens; `vienuviet dev` starts it only while REGISTRY_URL is this."""


@settings_group
class RegistrySettings:
    """State registries: where they are, how to log in, timeouts, retries and breakers."""

    url: str = setting(
        "REGISTRY_URL",
        default=DEFAULT_REGISTRY_URL,
        parse=without_trailing_slash,
        doc="Base URL of the state registries (the sandbox in development).",
    )
    client_id: str = setting(
        "REGISTRY_CLIENT_ID",
        default="vienuviet",
        doc="Client-credentials id at the registries' token endpoint.",
    )
    client_secret: str = setting(
        "REGISTRY_CLIENT_SECRET",
        secret=True,
        default="vienuviet-sandbox-secret",
        doc="Its secret.",
    )
    token_auth_method: str = setting(
        "REGISTRY_TOKEN_AUTH_METHOD",
        default="client_secret_basic",
        choices=("client_secret_basic", "client_secret_post"),
        doc="How the client authenticates at the token endpoint.",
    )
    token_leeway_s: int = setting(
        "REGISTRY_TOKEN_LEEWAY_S",
        ge=0,
        default=30,
        doc="Fetch a new access token this many seconds before the cached one expires.",
    )
    connect_timeout_s: float = setting(
        "REGISTRY_CONNECT_TIMEOUT_S",
        default=2.0,
        ge=0,
        doc="TCP connect timeout per attempt (seconds).",
    )
    read_timeout_s: float = setting(
        "REGISTRY_READ_TIMEOUT_S",
        default=5.0,
        ge=0,
        doc="Longest wait for the next bytes (seconds): a hung registry ends here.",
    )
    write_timeout_s: float = setting(
        "REGISTRY_WRITE_TIMEOUT_S",
        default=5.0,
        ge=0,
        doc="Longest wait to send a request (seconds).",
    )
    pool_timeout_s: float = setting(
        "REGISTRY_POOL_TIMEOUT_S",
        default=2.0,
        ge=0,
        doc="Longest wait for a free pooled connection (seconds).",
    )
    max_connections: int = setting(
        "REGISTRY_MAX_CONNECTIONS", ge=1, default=20, doc="Connections per registry per process."
    )
    max_keepalive: int = setting(
        "REGISTRY_MAX_KEEPALIVE", ge=0, default=10, doc="Idle connections kept open per registry."
    )
    retries: int = setting(
        "REGISTRY_RETRIES",
        ge=0,
        default=2,
        doc="Extra attempts for a read (GET) after a timeout, transport error or 5xx; never for "
        "a POST.",
    )
    backoff_base_s: float = setting(
        "REGISTRY_BACKOFF_BASE_S",
        default=0.1,
        ge=0,
        doc="The first retry waits up to this (seconds, full jitter); doubles per attempt.",
    )
    backoff_max_s: float = setting(
        "REGISTRY_BACKOFF_MAX_S", default=2.0, ge=0, doc="Cap of one backoff wait (seconds)."
    )
    breaker_failures: int = setting(
        "REGISTRY_BREAKER_FAILURES",
        default=5,
        ge=1,
        doc="Consecutive failed calls that open a registry's circuit breaker.",
    )
    breaker_cooldown_s: float = setting(
        "REGISTRY_BREAKER_COOLDOWN_S",
        default=30.0,
        ge=0,
        doc="How long an open circuit refuses calls before one trial call decides whether it "
        "closes again (seconds).",
    )


DASHBOARD_SOURCES: tuple[str, ...] = (
    "population_register",
    "ssia",
    "nhs",
    "csdd",
    "land_service",
    "srs",
    "municipalities",
    "enterprise_register",
)
"""The registries the dashboard reads, by their source names (integrations/<source>/)."""


@settings_group
class SourcePolicy:
    """How the dashboard treats one registry."""

    budget_s: float = setting(
        "DASHBOARD_<SOURCE>_BUDGET_MS",
        unit="ms",
        ge=1,
        doc="The longest the dashboard waits for the registry in one request (milliseconds); "
        "after it, the last known answer is shown (stale) or the source is shown unavailable.",
    )
    ttl_s: int = setting(
        "DASHBOARD_<SOURCE>_TTL_S",
        ge=0,
        doc="A cached answer younger than this is served without asking the registry again "
        "(seconds; 0: ask every time).",
    )


# Budgets cover the slowest realistic answer (the sandbox's 50-800 ms) with room for a retry;
# TTLs follow how often each registry changes and how much a late change matters.
DEFAULT_SOURCE_POLICIES: Mapping[str, SourcePolicy] = MappingProxyType(
    {
        "population_register": SourcePolicy(budget_s=2.0, ttl_s=900),
        "ssia": SourcePolicy(budget_s=2.0, ttl_s=6 * 3600),
        "nhs": SourcePolicy(budget_s=2.0, ttl_s=24 * 3600),
        "csdd": SourcePolicy(budget_s=2.0, ttl_s=3600),
        "land_service": SourcePolicy(budget_s=2.5, ttl_s=24 * 3600),
        "srs": SourcePolicy(budget_s=2.5, ttl_s=3600),
        # Real-estate tax: a notice a year and four instalments; a payment shows within hours.
        "municipalities": SourcePolicy(budget_s=2.0, ttl_s=3600),
        "enterprise_register": SourcePolicy(budget_s=2.0, ttl_s=3600),
    }
)


@settings_group
class DashboardSettings:
    """Dashboard."""

    sources: Mapping[str, SourcePolicy] = family(
        SourcePolicy,
        keys=DASHBOARD_SOURCES,
        default=DEFAULT_SOURCE_POLICIES,
        doc="Per registry, <SOURCE> being its source name in capitals:",
    )
    last_known_s: int = setting(
        "DASHBOARD_LAST_KNOWN_S",
        default=7 * 24 * 3600,
        ge=1,
        doc="How long a registry's last answer is kept to be shown (marked stale) while it "
        "fails (seconds).",
    )
    refresh_limit: int = setting(
        "DASHBOARD_REFRESH_LIMIT",
        default=5,
        ge=1,
        doc='"Refresh now": at most this many forced refreshes per person per window.',
    )
    refresh_window_s: int = setting(
        "DASHBOARD_REFRESH_WINDOW_S",
        default=600,
        ge=1,
        doc="The window of that limit (seconds).",
    )

    def policy(self, source: str) -> SourcePolicy:
        return self.sources[source]


EADDRESS_DEFAULT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.etsi.asic-e+zip",
    "application/vnd.etsi.asic-s+zip",
    "text/plain",
)


def _media_types(raw: str, ctx: Context) -> tuple[str, ...] | None:
    """Comma-separated media types; none at all means the default list."""
    return tuple(t.strip().lower() for t in raw.split(",") if t.strip()) or None


def _in_var_dir(name: str) -> Callable[[Context], Path]:
    def default(ctx: Context) -> Path:
        return ctx.var_dir / name

    return default


@settings_group
class EAddressSettings:
    """E-address.

    Several hosts serving one deployment must share the attachment and key directories.
    """

    attachments_dir: Path = setting(
        "EADDRESS_ATTACHMENTS_DIR",
        default_from=_in_var_dir("attachments"),
        doc="Content-addressed attachment store (default: VAR_DIR/attachments).",
    )
    keys_dir: Path = setting(
        "EADDRESS_KEYS_DIR",
        default_from=_in_var_dir("keys"),
        doc="Token and receipt signing keys (default: VAR_DIR/keys).",
    )
    max_attachment_bytes: int = setting(
        "EADDRESS_MAX_ATTACHMENT_BYTES",
        ge=1,
        default=10 * 1024 * 1024,
        doc="Largest single attachment of an institution message, in bytes.",
    )
    max_message_bytes: int = setting(
        "EADDRESS_MAX_MESSAGE_BYTES",
        ge=1,
        default=25 * 1024 * 1024,
        doc="Largest message, attachments and text together, in bytes.",
    )
    max_attachments: int = setting(
        "EADDRESS_MAX_ATTACHMENTS", ge=1, default=10, doc="Most attachments on one message."
    )
    max_body_chars: int = setting(
        "EADDRESS_MAX_BODY_CHARS",
        ge=1,
        default=100_000,
        doc="Longest plain-text (and HTML) body, in characters.",
    )
    allowed_types: tuple[str, ...] = setting(
        "EADDRESS_ALLOWED_TYPES",
        default=EADDRESS_DEFAULT_TYPES,
        parse=_media_types,
        doc="Attachment media types accepted (judged by content, never by file name), "
        "comma-separated.",
    )
    token_ttl_s: int = setting(
        "EADDRESS_TOKEN_TTL_S",
        ge=1,
        default=600,
        doc="Lifetime of institution access tokens (seconds).",
    )
    idempotency_ttl_hours: int = setting(
        "EADDRESS_IDEMPOTENCY_TTL_HOURS",
        default=48,
        ge=24,
        doc="How long Idempotency-Key answers are kept (hours, 24 or more).",
    )
    deemed_delivery_working_days: int = setting(
        "EADDRESS_DEEMED_DELIVERY_WORKING_DAYS",
        ge=1,
        default=2,
        doc="Notification Law art. 9: a message is deemed delivered on the 2nd working day "
        "after sending.",
    )
    escalation_working_days_before: int = setting(
        "EADDRESS_ESCALATION_WORKING_DAYS_BEFORE",
        default=1,
        ge=0,
        doc='Raise the "still unread" escalation this many working days before that date '
        "(0: on the date itself).",
    )


def _rates_file(raw: str, ctx: Context) -> Path:
    path = Path(raw)
    if not path.is_file():
        raise Invalid("must name a readable TOML file")
    return path


@settings_group
class ObligationsSettings:
    """Obligations and reminders (backend/obligations)."""

    rates_file: Path | None = setting(
        "OBLIGATIONS_RATES_FILE",
        default=None,
        parse=_rates_file,
        doc="A TOML file correcting rates, deadlines and thresholds without a code change; each "
        "entry names its source and whether it is verified (see backend/obligations/rates.py). "
        "Unset: the built-in table.",
    )
    sweep_from_hour: int = setting(
        "OBLIGATIONS_SWEEP_FROM_HOUR",
        default=7,
        ge=0,
        le=23,
        doc="The daily reminder run (`vienuviet worker`) starts at this hour, Riga time.",
    )
    sweep_batch: int = setting(
        "OBLIGATIONS_SWEEP_BATCH",
        default=20,
        ge=1,
        doc="Persons one worker takes per batch of that run.",
    )
