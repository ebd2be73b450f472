"""Typed settings, grouped by concern and read once from the environment.

Every variable is documented in `.env.example`. A `.env` file in the working directory is read
as if its lines were in the environment; the real environment wins over it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"


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
class PushSettings:
    vapid_private_key: str | None
    """`VAPID_PRIVATE_KEY`: PEM or base64url key; unset means a key generated into var/."""
    vapid_subject: str = "mailto:support@vienuviet.example"
    """`VAPID_SUBJECT`: contact for push services (mailto: or https: URL)."""


@dataclass(frozen=True)
class EmailSettings:
    smtp_url: str
    """`SMTP_URL`: smtp://host:port (smtps:// for implicit TLS; user:password@ for auth)."""
    sender: str = "Vienuviet <no-reply@vienuviet.example>"
    """`EMAIL_SENDER`: the From header of every e-mail."""


@dataclass(frozen=True)
class SMSSettings:
    gateway_url: str
    """`SMS_GATEWAY_URL`: HTTP endpoint of the SMS gateway (the sandbox records what it gets)."""


@dataclass(frozen=True)
class RegistrySettings:
    url: str
    """`REGISTRY_URL`: base URL of the state registries (the sandbox in development)."""
    client_id: str = "vienuviet"
    """`REGISTRY_CLIENT_ID`: client-credentials id at the registries' token endpoint."""
    client_secret: str = "vienuviet-sandbox-secret"  # noqa: S105 - sandbox default, not a secret
    """`REGISTRY_CLIENT_SECRET`."""


EADDRESS_DEFAULT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.etsi.asic-e+zip",
    "application/vnd.etsi.asic-s+zip",
    "text/plain",
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
class Settings:
    database: DatabaseSettings
    store: StoreSettings
    web: WebSettings
    graphql: GraphQLSettings
    oidc: OIDCSettings
    push: PushSettings
    email: EmailSettings
    sms: SMSSettings
    registry: RegistrySettings
    eaddress: EAddressSettings

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
    return Settings(
        database=DatabaseSettings(
            url=database_url,
            pool_min=_int(env, "DATABASE_POOL_MIN", 2),
            pool_max=_int(env, "DATABASE_POOL_MAX", 10),
        ),
        store=StoreSettings(redis_url=redis_url, namespace=env.get("STORE_NAMESPACE", "vienuviet")),
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
        ),
        oidc=OIDCSettings(
            issuer=(env.get("OIDC_ISSUER") or "http://127.0.0.1:8001").rstrip("/"),
            client_id=env.get("OIDC_CLIENT_ID") or "vienuviet-dev",
            client_secret=env.get("OIDC_CLIENT_SECRET") or "vienuviet-dev-secret",
            person_code_claim=env.get("OIDC_PERSON_CODE_CLAIM") or "personal_code",
        ),
        push=PushSettings(
            vapid_private_key=env.get("VAPID_PRIVATE_KEY") or None,
            vapid_subject=env.get("VAPID_SUBJECT") or "mailto:support@vienuviet.example",
        ),
        email=EmailSettings(
            smtp_url=env.get("SMTP_URL") or "smtp://127.0.0.1:8025",
            sender=env.get("EMAIL_SENDER") or "Vienuviet <no-reply@vienuviet.example>",
        ),
        sms=SMSSettings(gateway_url=env.get("SMS_GATEWAY_URL") or "http://127.0.0.1:8100/sms"),
        registry=RegistrySettings(
            url=(env.get("REGISTRY_URL") or "http://127.0.0.1:8100").rstrip("/"),
            client_id=env.get("REGISTRY_CLIENT_ID") or "vienuviet",
            client_secret=env.get("REGISTRY_CLIENT_SECRET") or "vienuviet-sandbox-secret",
        ),
        eaddress=_eaddress_settings(env, var_dir),
    )
