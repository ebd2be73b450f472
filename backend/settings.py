"""Typed settings, grouped by concern and read once from the environment.

Every variable is documented in `.env.example`. A `.env` file in the working directory is read
as if its lines were in the environment; the real environment wins over it.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
DEFAULT_REGISTRY_URL = "http://127.0.0.1:8100"
"""Where `vienuviet sandbox` listens; `vienuviet dev` starts it only while REGISTRY_URL is this."""


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class DatabaseSettings:
    url: str
    """`DATABASE_URL`: `sqlite:///path` (default, a file under var/) or `postgresql://…`."""
    pool_min: int = 2
    """`DATABASE_POOL_MIN`: PostgreSQL pool minimum (asyncpg needs it when max < 10)."""
    pool_max: int = 10
    """`DATABASE_POOL_MAX`: PostgreSQL pool maximum per process."""

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        if self.is_postgres:
            raise SettingsError("DATABASE_URL points at PostgreSQL, not at a SQLite file")
        return Path(self.url.removeprefix("sqlite:///"))


@dataclass(frozen=True)
class StoreSettings:
    redis_url: str | None
    """`REDIS_URL`: unset means in-process store and channels; set means Redis for both."""
    namespace: str = "vienuviet"
    """`STORE_NAMESPACE`: key prefix in Redis, so several deployments can share one server."""
    max_connections: int = 100
    """`REDIS_MAX_CONNECTIONS`: connections per process; a request beyond it waits for one."""
    pool_timeout_s: float = 5.0
    """`REDIS_POOL_TIMEOUT_S`: how long a request waits for a free connection before failing."""


@dataclass(frozen=True)
class WebSettings:
    public_url: str
    """`PUBLIC_URL`: the origin people reach the app at; redirect URIs and links derive from it."""
    secret_key: str
    """`SECRET_KEY`: signs CSRF tokens and similar; generated into var/ in development only."""
    debug: bool = False
    """`DEBUG`: development mode (introspection, dev identity provider allowed, relaxed cookies)."""
    host: str = "127.0.0.1"
    """`HOST`: address `vienuviet serve` binds to."""
    port: int = 8000
    """`PORT`: port `vienuviet serve` binds to."""
    max_body_bytes: int = 1_048_576
    """`MAX_BODY_BYTES`: largest request body accepted by ordinary endpoints (1 MiB)."""
    var_dir: Path = DEFAULT_VAR_DIR
    """`VAR_DIR`: where local state lives (SQLite file, generated keys, attachments)."""

    @property
    def is_https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class GraphQLSettings:
    max_depth: int = 12
    """`GRAPHQL_MAX_DEPTH`: deepest selection accepted."""
    max_aliases: int = 30
    """`GRAPHQL_MAX_ALIASES`: most aliases in one document."""
    max_tokens: int = 2_000
    """`GRAPHQL_MAX_TOKENS`: most lexical tokens in one document."""
    max_body_bytes: int = 65_536
    """`GRAPHQL_MAX_BODY_BYTES`: largest POST /graphql body."""
    kept_answers: int = 2_048
    """`GRAPHQL_KEPT_ANSWERS`: dashboard answers kept per web process for reuse (0: none);
    see backend/graphql/answers/."""


@dataclass(frozen=True)
class OIDCSettings:
    issuer: str
    """`OIDC_ISSUER`: the identity provider; its metadata is found by discovery."""
    client_id: str
    """`OIDC_CLIENT_ID`."""
    client_secret: str
    """`OIDC_CLIENT_SECRET`."""
    person_code_claim: str = "personal_code"
    """`OIDC_PERSON_CODE_CLAIM`: the claim carrying the Latvian personal code."""


@dataclass(frozen=True)
class AuthSettings:
    session_idle_s: int = 15 * 60
    """`SESSION_IDLE_SECONDS`: a session unused this long ends (15 minutes)."""
    session_absolute_s: int = 12 * 3600
    """`SESSION_ABSOLUTE_SECONDS`: no session outlives this, however active (12 hours)."""
    token_auth_method: str = "client_secret_basic"  # noqa: S105 - a method name, not a secret
    """`OIDC_TOKEN_AUTH_METHOD`: `client_secret_basic` or `private_key_jwt`."""
    client_private_key: str | None = None
    """`OIDC_CLIENT_PRIVATE_KEY`: PEM (or a path to one) for `private_key_jwt`."""
    min_level_eaddress: str = "substantial"
    """`AUTH_MIN_LEVEL_EADDRESS`: assurance needed for e-address mail (low/substantial/high)."""
    min_level_company: str = "substantial"
    """`AUTH_MIN_LEVEL_COMPANY`: assurance needed to act for a company."""
    login_rate_per_minute: int = 20
    """`LOGIN_RATE_PER_MINUTE`: login attempts per client IP per minute."""
    mutation_rate_per_minute: int = 60
    """`MUTATION_RATE_PER_MINUTE`: GraphQL mutations per user (and, doubled, per IP) per minute."""


DEFAULT_PUSH_ORIGINS = (
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.notify.windows.com",
)
"""The push services browsers subscribe to: Chrome, Edge (Chromium), Opera, Samsung
Internet (Firebase Cloud Messaging); Firefox (Mozilla); Safari (Apple); legacy Edge (WNS)."""
_PUSH_ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<wild>\*\.)?(?P<host>[a-z0-9.-]+|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>\*|[0-9]{1,5}))?/?"
)
_NAME_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True)
class PushOrigin:
    """One entry of PUSH_ALLOWED_ORIGINS: where push requests may be sent."""

    scheme: str
    host: str
    """A lowercase ASCII name, a loopback IP address (IPv6 without brackets), or `*.` and a
    name: any host below that name (at least one more label), never the name itself."""
    port: int | None
    """None: any port (written `:*`)."""

    @property
    def loopback(self) -> bool:
        """The entry names a loopback address itself: the only way to reach loopback."""
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = (
            "" if self.port == (443 if self.scheme == "https" else 80) else f":{self.port or '*'}"
        )
        return f"{self.scheme}://{host}{port}"


def parse_push_origins(value: str, *, debug: bool) -> tuple[PushOrigin, ...]:
    """PUSH_ALLOWED_ORIGINS: comma-separated `https://host[:port]`, `https://*.domain`, port
    `*` for any. A loopback IP address (`http://127.0.0.1:*`) only in development; names are
    never allowed to resolve to loopback or private addresses, whatever they are."""
    origins: list[PushOrigin] = []
    for raw in value.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        match = _PUSH_ORIGIN.fullmatch(entry)
        if match is None:
            raise SettingsError(
                f"PUSH_ALLOWED_ORIGINS: {raw.strip()!r} is not scheme://host[:port] with an ASCII "
                "host (other scripts as xn-- labels)"
            )
        host = match["host"].strip("[]")
        port = match["port"]
        default = 443 if match["scheme"] == "https" else 80
        origin = PushOrigin(
            match["scheme"],
            ("*." if match["wild"] else "") + host,
            None if port == "*" else int(port or default),
        )
        _check_push_origin(origin, raw.strip(), debug=debug)
        origins.append(origin)
    return tuple(origins)


def _check_push_origin(origin: PushOrigin, raw: str, *, debug: bool) -> None:
    host = origin.host.removeprefix("*.")
    wildcard = origin.host.startswith("*.")
    if origin.port is not None and not 0 < origin.port < 65536:
        raise SettingsError(f"PUSH_ALLOWED_ORIGINS: {raw!r} has no valid port")
    if _is_ip(host):
        if wildcard or not ipaddress.ip_address(host).is_loopback or not debug:
            raise SettingsError(
                f"PUSH_ALLOWED_ORIGINS: {raw!r}: an IP address may only be a loopback one, "
                "and only in development (DEBUG=1)"
            )
        return
    labels = host.split(".")
    if (
        labels[-1].isdigit()
        or labels[-1].startswith("0x")  # what resolvers read as an IPv4 address
        or (wildcard and len(labels) < 2)  # `*.com` is everybody
        or not all(_NAME_LABEL.fullmatch(label) for label in labels)
    ):
        raise SettingsError(
            f"PUSH_ALLOWED_ORIGINS: {raw!r} must name a host in ASCII (a wildcard: below a "
            "domain of two labels or more) or a loopback address"
        )
    if origin.scheme != "https":
        raise SettingsError(f"PUSH_ALLOWED_ORIGINS: {raw!r} must be https://")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class PushSettings:
    vapid_private_key: str | None
    """`VAPID_PRIVATE_KEY`: PEM or base64url key; unset means a key generated into var/."""
    vapid_subject: str = "mailto:support@vienuviet.example"
    """`VAPID_SUBJECT`: contact for push services (mailto: or https: URL)."""
    timeout_s: float = 10.0
    """`PUSH_TIMEOUT_S`: longest wait for a push service to answer one message."""
    concurrency: int = 64
    """`PUSH_CONCURRENCY`: push requests in flight per process (every delivery loop
    of a worker shares them)."""
    ttl_s: int = 24 * 3600
    """`PUSH_TTL_S`: how long a push service keeps an ordinary notice for an offline device."""
    legal_ttl_s: int = 28 * 24 * 3600
    """`PUSH_LEGAL_TTL_S`: the same for legal notices (e-address), kept as long as allowed."""
    allowed_origins: tuple[PushOrigin, ...] = field(
        default_factory=lambda: parse_push_origins(",".join(DEFAULT_PUSH_ORIGINS), debug=False)
    )
    """`PUSH_ALLOWED_ORIGINS`: the only places subscriptions may point and pushes go
    (default: the browsers' push services, DEFAULT_PUSH_ORIGINS)."""


@dataclass(frozen=True)
class EmailSettings:
    smtp_url: str
    """`SMTP_URL`: smtp://host:port (smtps:// for implicit TLS; user:password@ for auth)."""
    sender: str = "Vienuviet <no-reply@vienuviet.example>"
    """`EMAIL_SENDER`: the From header of every e-mail."""
    timeout_s: float = 15.0
    """`SMTP_TIMEOUT_S`: longest wait for the SMTP server at each step."""
    concurrency: int = 4
    """`SMTP_CONCURRENCY`: SMTP sessions open at once per delivery loop."""


@dataclass(frozen=True)
class SMSSettings:
    gateway_url: str
    """`SMS_GATEWAY_URL`: HTTP endpoint of the SMS gateway (the sandbox records what it gets)."""
    token: str = "vienuviet-sms-token"  # noqa: S105 - the sandbox's development key
    """`SMS_GATEWAY_TOKEN`: API key sent as a bearer token to the gateway."""
    sender: str = "Vienuviet"
    """`SMS_SENDER`: alphanumeric sender id shown on the phone (at most 11 characters)."""
    max_segments: int = 3
    """`SMS_MAX_SEGMENTS`: longer messages are refused (each segment is billed)."""
    timeout_s: float = 10.0
    """`SMS_TIMEOUT_S`: longest wait for the gateway to answer."""


@dataclass(frozen=True)
class NotificationSettings:
    """The delivery engine: outbox claims, retries, channel health, verification codes."""

    give_up_after_s: int = 48 * 3600
    """`NOTIFY_GIVE_UP_AFTER_S`: a notification still undelivered this long after it was due
    is marked failed (and, for a legal notice, reported)."""
    lease_s: int = 120
    """`NOTIFY_LEASE_S`: a claimed batch not finished within this is re-queued by the sweeper."""
    batch_size: int = 200
    """`NOTIFY_BATCH_SIZE`: outbox rows one delivery loop claims at a time."""
    delivery_loops: int = 2
    """`NOTIFY_DELIVERY_LOOPS`: concurrent delivery loops per worker process."""
    poll_interval_s: float = 0.5
    """`NOTIFY_POLL_INTERVAL_S`: how often an idle delivery loop looks for due work."""
    backoff_base_s: float = 30.0
    """`NOTIFY_BACKOFF_BASE_S`: first retry after about this long; doubles per attempt."""
    backoff_max_s: float = 3600.0
    """`NOTIFY_BACKOFF_MAX_S`: cap of one retry wait (a Retry-After may ask for longer)."""
    unhealthy_after: int = 3
    """`NOTIFY_UNHEALTHY_AFTER`: consecutive failed deliveries that mark a contact unhealthy."""
    code_ttl_s: int = 15 * 60
    """`NOTIFY_CODE_TTL_S`: a verification code expires after this long."""
    code_max_attempts: int = 5
    """`NOTIFY_CODE_MAX_ATTEMPTS`: wrong guesses allowed per code."""
    code_sends_per_hour: int = 5
    """`NOTIFY_CODE_SENDS_PER_HOUR`: verification messages per person (and per address)."""


@dataclass(frozen=True)
class RegistrySettings:
    url: str
    """`REGISTRY_URL`: base URL of the state registries (the sandbox in development)."""
    client_id: str = "vienuviet"
    """`REGISTRY_CLIENT_ID`: client-credentials id at the registries' token endpoint."""
    client_secret: str = "vienuviet-sandbox-secret"  # noqa: S105 - sandbox default, not a secret
    """`REGISTRY_CLIENT_SECRET`."""
    token_auth_method: str = "client_secret_basic"  # noqa: S105 - a method name
    """`REGISTRY_TOKEN_AUTH_METHOD`: `client_secret_basic` or `client_secret_post`."""
    token_leeway_s: int = 30
    """`REGISTRY_TOKEN_LEEWAY_S`: fetch a new token this long before the cached one expires."""
    connect_timeout_s: float = 2.0
    """`REGISTRY_CONNECT_TIMEOUT_S`: TCP connect timeout per attempt."""
    read_timeout_s: float = 5.0
    """`REGISTRY_READ_TIMEOUT_S`: longest wait for the next bytes (a hang ends here)."""
    write_timeout_s: float = 5.0
    """`REGISTRY_WRITE_TIMEOUT_S`: longest wait to send a request."""
    pool_timeout_s: float = 2.0
    """`REGISTRY_POOL_TIMEOUT_S`: longest wait for a free pooled connection."""
    max_connections: int = 20
    """`REGISTRY_MAX_CONNECTIONS`: connections per registry per process."""
    max_keepalive: int = 10
    """`REGISTRY_MAX_KEEPALIVE`: idle connections kept open per registry."""
    retries: int = 2
    """`REGISTRY_RETRIES`: extra attempts for a GET after a timeout, transport error or 5xx."""
    backoff_base_s: float = 0.1
    """`REGISTRY_BACKOFF_BASE_S`: first retry waits up to this; doubles per attempt."""
    backoff_max_s: float = 2.0
    """`REGISTRY_BACKOFF_MAX_S`: cap of one backoff wait."""
    breaker_failures: int = 5
    """`REGISTRY_BREAKER_FAILURES`: consecutive failed calls that open a source's circuit."""
    breaker_cooldown_s: float = 30.0
    """`REGISTRY_BREAKER_COOLDOWN_S`: how long an open circuit refuses calls before one trial."""


EADDRESS_DEFAULT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.etsi.asic-e+zip",
    "application/vnd.etsi.asic-s+zip",
    "text/plain",
)


DASHBOARD_SOURCES: tuple[str, ...] = (
    "population_register",
    "ssia",
    "nhs",
    "csdd",
    "land_service",
    "srs",
    "enterprise_register",
)
"""The registries the dashboard reads, by their source names (integrations/<source>/)."""


@dataclass(frozen=True)
class SourcePolicy:
    budget_s: float
    """`DASHBOARD_<SOURCE>_BUDGET_MS`: longest wait for this source in one request; after it
    the last known value is served (stale) or the source is shown unavailable."""
    ttl_s: int
    """`DASHBOARD_<SOURCE>_TTL_S`: a cached answer younger than this is served without asking."""


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
        "enterprise_register": SourcePolicy(budget_s=2.0, ttl_s=3600),
    }
)


@dataclass(frozen=True)
class EAddressSettings:
    attachments_dir: Path
    """`EADDRESS_ATTACHMENTS_DIR`: content-addressed attachment store (VAR_DIR/attachments)."""
    keys_dir: Path
    """`EADDRESS_KEYS_DIR`: token and receipt signing keys (default VAR_DIR/keys); share it
    between hosts that serve the same deployment."""
    max_attachment_bytes: int = 10 * 1024 * 1024
    """`EADDRESS_MAX_ATTACHMENT_BYTES`: largest single attachment."""
    max_message_bytes: int = 25 * 1024 * 1024
    """`EADDRESS_MAX_MESSAGE_BYTES`: largest message, attachments and text together."""
    max_attachments: int = 10
    """`EADDRESS_MAX_ATTACHMENTS`: most attachments on one message."""
    max_body_chars: int = 100_000
    """`EADDRESS_MAX_BODY_CHARS`: longest plain-text (and HTML) body."""
    allowed_types: tuple[str, ...] = EADDRESS_DEFAULT_TYPES
    """`EADDRESS_ALLOWED_TYPES`: comma-separated media types accepted, judged by content."""
    token_ttl_s: int = 600
    """`EADDRESS_TOKEN_TTL_S`: lifetime of institution access tokens."""
    idempotency_ttl_hours: int = 48
    """`EADDRESS_IDEMPOTENCY_TTL_HOURS`: how long Idempotency-Key answers are kept (>= 24)."""
    deemed_delivery_working_days: int = 2
    """`EADDRESS_DEEMED_DELIVERY_WORKING_DAYS`: Notification Law art. 9 (the 2nd working day)."""
    escalation_working_days_before: int = 1
    """`EADDRESS_ESCALATION_WORKING_DAYS_BEFORE`: raise the unread escalation this many working
    days before the deemed-delivered date (0 = on the date itself)."""


@dataclass(frozen=True)
class ObligationsSettings:
    rates_file: Path | None = None
    """`OBLIGATIONS_RATES_FILE`: TOML file correcting rates, deadlines and thresholds (see
    backend/obligations/rates.py); unset means the built-in table."""
    sweep_from_hour: int = 7
    """`OBLIGATIONS_SWEEP_FROM_HOUR`: the daily reminder run starts at this hour in Riga."""
    sweep_batch: int = 20
    """`OBLIGATIONS_SWEEP_BATCH`: persons one worker takes per batch of the daily run."""


@dataclass(frozen=True)
class DashboardSettings:
    sources: Mapping[str, SourcePolicy] = field(default_factory=lambda: DEFAULT_SOURCE_POLICIES)
    """Time budget and cache TTL per source (see `SourcePolicy`)."""
    last_known_s: int = 7 * 24 * 3600
    """`DASHBOARD_LAST_KNOWN_S`: how long a source's last answer is kept to serve as stale."""
    refresh_limit: int = 5
    """`DASHBOARD_REFRESH_LIMIT`: forced refreshes per person per window."""
    refresh_window_s: int = 600
    """`DASHBOARD_REFRESH_WINDOW_S`: the window of that limit, in seconds."""

    def policy(self, source: str) -> SourcePolicy:
        return self.sources[source]


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings
    store: StoreSettings
    web: WebSettings
    graphql: GraphQLSettings
    oidc: OIDCSettings
    auth: AuthSettings
    push: PushSettings
    email: EmailSettings
    sms: SMSSettings
    registry: RegistrySettings
    eaddress: EAddressSettings
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    obligations: ObligationsSettings = ObligationsSettings()
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)

    @property
    def mode(self) -> str:
        """`postgresql+redis`, `sqlite+memory` or a mix: shown by /readyz and in test output."""
        db = "postgresql" if self.database.is_postgres else "sqlite"
        store = "redis" if self.store.redis_url else "memory"
        return f"{db}+{store}"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


LEVELS = ("low", "substantial", "high")


def _choice(
    env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str | None = None
) -> str:
    value = env.get(name) or default or allowed[0]
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _private_key(value: str | None) -> str | None:
    """A PEM given inline, or the path of a file holding one."""
    if not value:
        return None
    if "-----BEGIN" in value:
        return value
    path = Path(value)
    if not path.is_file():
        raise SettingsError("OIDC_CLIENT_PRIVATE_KEY must be a PEM or the path of a PEM file")
    return path.read_text()


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


def _registry(env: Mapping[str, str]) -> RegistrySettings:
    method = env.get("REGISTRY_TOKEN_AUTH_METHOD") or "client_secret_basic"
    if method not in {"client_secret_basic", "client_secret_post"}:
        raise SettingsError(
            "REGISTRY_TOKEN_AUTH_METHOD must be client_secret_basic or client_secret_post"
        )
    if _int(env, "REGISTRY_BREAKER_FAILURES", 5) < 1:
        raise SettingsError("REGISTRY_BREAKER_FAILURES must be at least 1")
    return RegistrySettings(
        url=(env.get("REGISTRY_URL") or DEFAULT_REGISTRY_URL).rstrip("/"),
        client_id=env.get("REGISTRY_CLIENT_ID") or "vienuviet",
        client_secret=env.get("REGISTRY_CLIENT_SECRET") or "vienuviet-sandbox-secret",
        token_auth_method=method,
        token_leeway_s=_int(env, "REGISTRY_TOKEN_LEEWAY_S", 30),
        connect_timeout_s=_float(env, "REGISTRY_CONNECT_TIMEOUT_S", 2.0),
        read_timeout_s=_float(env, "REGISTRY_READ_TIMEOUT_S", 5.0),
        write_timeout_s=_float(env, "REGISTRY_WRITE_TIMEOUT_S", 5.0),
        pool_timeout_s=_float(env, "REGISTRY_POOL_TIMEOUT_S", 2.0),
        max_connections=_int(env, "REGISTRY_MAX_CONNECTIONS", 20),
        max_keepalive=_int(env, "REGISTRY_MAX_KEEPALIVE", 10),
        retries=_int(env, "REGISTRY_RETRIES", 2),
        backoff_base_s=_float(env, "REGISTRY_BACKOFF_BASE_S", 0.1),
        backoff_max_s=_float(env, "REGISTRY_BACKOFF_MAX_S", 2.0),
        breaker_failures=_int(env, "REGISTRY_BREAKER_FAILURES", 5),
        breaker_cooldown_s=_float(env, "REGISTRY_BREAKER_COOLDOWN_S", 30.0),
    )


def _obligations(env: Mapping[str, str]) -> ObligationsSettings:
    raw = env.get("OBLIGATIONS_RATES_FILE") or None
    rates_file = Path(raw) if raw else None
    if rates_file is not None and not rates_file.is_file():
        raise SettingsError("OBLIGATIONS_RATES_FILE must name a readable TOML file")
    hour = _int(env, "OBLIGATIONS_SWEEP_FROM_HOUR", 7)
    if not 0 <= hour <= 23:
        raise SettingsError("OBLIGATIONS_SWEEP_FROM_HOUR must be an hour, 0 to 23")
    batch = _int(env, "OBLIGATIONS_SWEEP_BATCH", 20)
    if batch < 1:
        raise SettingsError("OBLIGATIONS_SWEEP_BATCH must be at least 1")
    return ObligationsSettings(rates_file=rates_file, sweep_from_hour=hour, sweep_batch=batch)


def _dashboard(env: Mapping[str, str]) -> DashboardSettings:
    policies: dict[str, SourcePolicy] = {}
    for source in DASHBOARD_SOURCES:
        default = DEFAULT_SOURCE_POLICIES[source]
        prefix = f"DASHBOARD_{source.upper()}"
        budget_ms = _int(env, f"{prefix}_BUDGET_MS", round(default.budget_s * 1000))
        if budget_ms < 1:
            raise SettingsError(f"{prefix}_BUDGET_MS must be at least 1")
        ttl_s = _int(env, f"{prefix}_TTL_S", default.ttl_s)
        if ttl_s < 0:
            raise SettingsError(f"{prefix}_TTL_S must not be negative")
        policies[source] = SourcePolicy(budget_s=budget_ms / 1000, ttl_s=ttl_s)
    settings = DashboardSettings(
        sources=policies,
        last_known_s=_int(env, "DASHBOARD_LAST_KNOWN_S", 7 * 24 * 3600),
        refresh_limit=_int(env, "DASHBOARD_REFRESH_LIMIT", 5),
        refresh_window_s=_int(env, "DASHBOARD_REFRESH_WINDOW_S", 600),
    )
    if settings.last_known_s < 1 or settings.refresh_limit < 1 or settings.refresh_window_s < 1:
        raise SettingsError(
            "DASHBOARD_LAST_KNOWN_S, DASHBOARD_REFRESH_LIMIT and DASHBOARD_REFRESH_WINDOW_S "
            "must be at least 1"
        )
    return settings


def _secret_key(env: Mapping[str, str], debug: bool, var_dir: Path) -> str:
    if key := env.get("SECRET_KEY"):
        if len(key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters")
        return key
    if not debug:
        raise SettingsError("SECRET_KEY is required outside development (DEBUG=1)")
    # Development only: a key that survives restarts so sessions and CSRF tokens stay valid.
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1")
    return value


SMTP_SCHEMES = ("smtp://", "smtps://", "smtp+starttls://")


def _push(env: Mapping[str, str], debug: bool) -> PushSettings:
    origins = env.get("PUSH_ALLOWED_ORIGINS") or ",".join(DEFAULT_PUSH_ORIGINS)
    return PushSettings(
        vapid_private_key=env.get("VAPID_PRIVATE_KEY") or None,
        vapid_subject=env.get("VAPID_SUBJECT") or "mailto:support@vienuviet.example",
        timeout_s=_float(env, "PUSH_TIMEOUT_S", 10.0),
        concurrency=_positive(env, "PUSH_CONCURRENCY", 64),
        ttl_s=_int(env, "PUSH_TTL_S", 24 * 3600),
        legal_ttl_s=_int(env, "PUSH_LEGAL_TTL_S", 28 * 24 * 3600),
        allowed_origins=parse_push_origins(origins, debug=debug),
    )


def _email(env: Mapping[str, str]) -> EmailSettings:
    smtp_url = env.get("SMTP_URL") or "smtp://127.0.0.1:8025"
    if not smtp_url.startswith(SMTP_SCHEMES):
        raise SettingsError("SMTP_URL must start with smtp://, smtps:// or smtp+starttls://")
    return EmailSettings(
        smtp_url=smtp_url,
        sender=env.get("EMAIL_SENDER") or "Vienuviet <no-reply@vienuviet.example>",
        timeout_s=_float(env, "SMTP_TIMEOUT_S", 15.0),
        concurrency=_positive(env, "SMTP_CONCURRENCY", 4),
    )


def _sms(env: Mapping[str, str]) -> SMSSettings:
    sender = env.get("SMS_SENDER") or "Vienuviet"
    if len(sender) > 11:
        raise SettingsError("SMS_SENDER must be at most 11 characters (alphanumeric sender id)")
    return SMSSettings(
        gateway_url=env.get("SMS_GATEWAY_URL") or "http://127.0.0.1:8100/sms",
        token=env.get("SMS_GATEWAY_TOKEN") or "vienuviet-sms-token",
        sender=sender,
        max_segments=_positive(env, "SMS_MAX_SEGMENTS", 3),
        timeout_s=_float(env, "SMS_TIMEOUT_S", 10.0),
    )


def _notifications(env: Mapping[str, str]) -> NotificationSettings:
    return NotificationSettings(
        give_up_after_s=_positive(env, "NOTIFY_GIVE_UP_AFTER_S", 48 * 3600),
        lease_s=_positive(env, "NOTIFY_LEASE_S", 120),
        batch_size=_positive(env, "NOTIFY_BATCH_SIZE", 200),
        delivery_loops=_positive(env, "NOTIFY_DELIVERY_LOOPS", 2),
        poll_interval_s=_float(env, "NOTIFY_POLL_INTERVAL_S", 0.5),
        backoff_base_s=_float(env, "NOTIFY_BACKOFF_BASE_S", 30.0),
        backoff_max_s=_float(env, "NOTIFY_BACKOFF_MAX_S", 3600.0),
        unhealthy_after=_positive(env, "NOTIFY_UNHEALTHY_AFTER", 3),
        code_ttl_s=_positive(env, "NOTIFY_CODE_TTL_S", 15 * 60),
        code_max_attempts=_positive(env, "NOTIFY_CODE_MAX_ATTEMPTS", 5),
        code_sends_per_hour=_positive(env, "NOTIFY_CODE_SENDS_PER_HOUR", 5),
    )


def _eaddress_settings(env: Mapping[str, str], var_dir: Path) -> EAddressSettings:
    types = tuple(
        t.strip().lower() for t in (env.get("EADDRESS_ALLOWED_TYPES") or "").split(",") if t.strip()
    )
    ttl_hours = _int(env, "EADDRESS_IDEMPOTENCY_TTL_HOURS", 48)
    if ttl_hours < 24:
        raise SettingsError("EADDRESS_IDEMPOTENCY_TTL_HOURS must be at least 24")
    before = _int(env, "EADDRESS_ESCALATION_WORKING_DAYS_BEFORE", 1)
    if before < 0:
        raise SettingsError("EADDRESS_ESCALATION_WORKING_DAYS_BEFORE must not be negative")
    return EAddressSettings(
        attachments_dir=Path(env.get("EADDRESS_ATTACHMENTS_DIR") or var_dir / "attachments"),
        keys_dir=Path(env.get("EADDRESS_KEYS_DIR") or var_dir / "keys"),
        max_attachment_bytes=_int(env, "EADDRESS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024),
        max_message_bytes=_int(env, "EADDRESS_MAX_MESSAGE_BYTES", 25 * 1024 * 1024),
        max_attachments=_int(env, "EADDRESS_MAX_ATTACHMENTS", 10),
        max_body_chars=_int(env, "EADDRESS_MAX_BODY_CHARS", 100_000),
        allowed_types=types or EADDRESS_DEFAULT_TYPES,
        token_ttl_s=_int(env, "EADDRESS_TOKEN_TTL_S", 600),
        idempotency_ttl_hours=ttl_hours,
        deemed_delivery_working_days=_int(env, "EADDRESS_DEEMED_DELIVERY_WORKING_DAYS", 2),
        escalation_working_days_before=before,
    )


def read_environment() -> dict[str, str]:
    """The process environment merged over `.env` (if present); the environment wins."""
    env_file = Path(os.environ.get("ENV_FILE", ".env"))
    merged: dict[str, str] = {}
    if env_file.is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ)
    return merged


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from `environ`, or else from the environment and `.env`.

    Raises SettingsError naming the variable when a value is missing or malformed.
    """
    env = read_environment() if environ is None else environ
    debug = _flag(env.get("DEBUG"))
    var_dir = Path(env.get("VAR_DIR") or DEFAULT_VAR_DIR)
    public_url = (env.get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    if not public_url.startswith(("http://", "https://")):
        raise SettingsError("PUBLIC_URL must start with http:// or https://")
    loopback = urlsplit(public_url).hostname in {"127.0.0.1", "localhost", "::1"}
    if not debug and public_url.startswith("http://") and not loopback:
        raise SettingsError("PUBLIC_URL must be https:// outside development")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'vienuviet.sqlite3'}"
    if not database_url.startswith(("sqlite:///", "postgres://", "postgresql://")):
        raise SettingsError("DATABASE_URL must be sqlite:///path or postgresql://…")
    redis_url = env.get("REDIS_URL") or None
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL must be redis://, rediss:// or unix://")
    if env.get("OIDC_TOKEN_AUTH_METHOD") == "private_key_jwt" and not env.get(
        "OIDC_CLIENT_PRIVATE_KEY"
    ):
        raise SettingsError("OIDC_TOKEN_AUTH_METHOD=private_key_jwt needs OIDC_CLIENT_PRIVATE_KEY")
    return Settings(
        database=DatabaseSettings(
            url=database_url,
            pool_min=_int(env, "DATABASE_POOL_MIN", 2),
            pool_max=_int(env, "DATABASE_POOL_MAX", 10),
        ),
        store=StoreSettings(
            redis_url=redis_url,
            namespace=env.get("STORE_NAMESPACE", "vienuviet"),
            max_connections=_int(env, "REDIS_MAX_CONNECTIONS", 100),
            pool_timeout_s=_float(env, "REDIS_POOL_TIMEOUT_S", 5.0),
        ),
        web=WebSettings(
            public_url=public_url,
            secret_key=_secret_key(env, debug, var_dir),
            debug=debug,
            host=env.get("HOST", "127.0.0.1"),
            port=_int(env, "PORT", 8000),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 1_048_576),
            var_dir=var_dir,
        ),
        graphql=GraphQLSettings(
            max_depth=_int(env, "GRAPHQL_MAX_DEPTH", 12),
            max_aliases=_int(env, "GRAPHQL_MAX_ALIASES", 30),
            max_tokens=_int(env, "GRAPHQL_MAX_TOKENS", 2_000),
            max_body_bytes=_int(env, "GRAPHQL_MAX_BODY_BYTES", 65_536),
            kept_answers=_int(env, "GRAPHQL_KEPT_ANSWERS", 2_048),
        ),
        oidc=OIDCSettings(
            issuer=(env.get("OIDC_ISSUER") or "http://127.0.0.1:8001").rstrip("/"),
            client_id=env.get("OIDC_CLIENT_ID") or "vienuviet-dev",
            client_secret=env.get("OIDC_CLIENT_SECRET") or "vienuviet-dev-secret",
            person_code_claim=env.get("OIDC_PERSON_CODE_CLAIM") or "personal_code",
        ),
        auth=AuthSettings(
            session_idle_s=_int(env, "SESSION_IDLE_SECONDS", 15 * 60),
            session_absolute_s=_int(env, "SESSION_ABSOLUTE_SECONDS", 12 * 3600),
            token_auth_method=_choice(
                env, "OIDC_TOKEN_AUTH_METHOD", ("client_secret_basic", "private_key_jwt")
            ),
            client_private_key=_private_key(env.get("OIDC_CLIENT_PRIVATE_KEY")),
            min_level_eaddress=_choice(env, "AUTH_MIN_LEVEL_EADDRESS", LEVELS, "substantial"),
            min_level_company=_choice(env, "AUTH_MIN_LEVEL_COMPANY", LEVELS, "substantial"),
            login_rate_per_minute=_int(env, "LOGIN_RATE_PER_MINUTE", 20),
            mutation_rate_per_minute=_int(env, "MUTATION_RATE_PER_MINUTE", 60),
        ),
        push=_push(env, debug),
        email=_email(env),
        sms=_sms(env),
        registry=_registry(env),
        notifications=_notifications(env),
        eaddress=_eaddress_settings(env, var_dir),
        obligations=_obligations(env),
        dashboard=_dashboard(env),
    )
