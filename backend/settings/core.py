"""The web server, the database, the store, GraphQL's limits and the development stand-ins."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from backend.settings.declare import Context, Invalid, SettingsError, setting, settings_group

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def _public_url(raw: str, ctx: Context) -> str:
    url = raw.rstrip("/")
    loopback = urlsplit(url).hostname in LOOPBACK_NAMES
    if not ctx.debug and url.startswith("http://") and not loopback:
        raise Invalid("must be https:// outside development")
    return url


def _development_secret_key(ctx: Context) -> str:
    """Development only: a key kept in VAR_DIR so that sessions and CSRF tokens survive
    restarts. Production must set SECRET_KEY."""
    if not ctx.debug:
        raise SettingsError("SECRET_KEY is required outside development (DEBUG=1)")
    path = ctx.var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    import secrets  # only here: development start-up, never a production import

    ctx.var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@settings_group
class WebSettings:
    """Mode and web server."""

    debug: bool = setting(
        "DEBUG",
        default=False,
        doc="Development mode: GraphQL introspection, the development identity provider, "
        "relaxed cookies. `make run` sets DEBUG=1; production leaves it unset.",
    )
    var_dir: Path = setting(
        "VAR_DIR",
        default=DEFAULT_VAR_DIR,
        doc="Where local state lives: the SQLite file, generated keys, attachments "
        "(default: var/ in the project).",
    )
    public_url: str = setting(
        "PUBLIC_URL",
        default="http://127.0.0.1:8000",
        parse=_public_url,
        schemes=("http://", "https://"),
        doc="The origin people reach the app at; redirect URIs and links derive from it. "
        "https:// outside development, unless it is a loopback address.",
    )
    secret_key: str = setting(
        "SECRET_KEY",
        secret=True,
        default_from=_development_secret_key,
        min_length=32,
        doc="Signs CSRF tokens and similar (32 characters or more). Required outside "
        "development; in development a key is generated into VAR_DIR/secret_key.",
    )
    host: str = setting("HOST", default="127.0.0.1", doc="Address `vienuviet serve` binds to.")
    port: int = setting(
        "PORT", ge=1, le=65535, default=8000, doc="Port `vienuviet serve` binds to."
    )
    forwarded_allow_ips: str = setting(
        "FORWARDED_ALLOW_IPS",
        default="127.0.0.1",
        doc="Proxies whose X-Forwarded-* headers `vienuviet serve` trusts, comma-separated.",
    )
    max_body_bytes: int = setting(
        "MAX_BODY_BYTES",
        ge=1,
        default=1_048_576,
        doc="Largest request body ordinary endpoints accept, in bytes (1 MiB).",
    )

    @property
    def is_https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"


def _sqlite_in_var_dir(ctx: Context) -> str:
    return f"sqlite:///{ctx.var_dir / 'vienuviet.sqlite3'}"


@settings_group
class DatabaseSettings:
    """Database."""

    url: str = setting(
        "DATABASE_URL",
        secret=True,
        default_from=_sqlite_in_var_dir,
        schemes=("sqlite:///", "postgres://", "postgresql://"),
        doc="sqlite:///path/to/file (default: VAR_DIR/vienuviet.sqlite3) or "
        "postgresql://user:password@host/database.",
    )
    pool_min: int = setting(
        "DATABASE_POOL_MIN",
        ge=1,
        default=2,
        doc="PostgreSQL pool minimum per process (asyncpg needs it when the maximum is below 10).",
    )
    pool_max: int = setting(
        "DATABASE_POOL_MAX", ge=1, default=10, doc="PostgreSQL pool maximum per process."
    )

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        if self.is_postgres:
            raise SettingsError("DATABASE_URL points at PostgreSQL, not at a SQLite file")
        return Path(self.url.removeprefix("sqlite:///"))


@settings_group
class StoreSettings:
    """Store: sessions, caches, rate limits, live updates."""

    redis_url: str | None = setting(
        "REDIS_URL",
        secret=True,
        default=None,
        schemes=("redis://", "rediss://", "unix://"),
        doc="Unset: the store and live-update channels are in-process (one process only). "
        "Set: Redis, shared by every process.",
    )
    namespace: str = setting(
        "STORE_NAMESPACE",
        default="vienuviet",
        doc="Key prefix in Redis, so several deployments can share one server.",
    )
    max_connections: int = setting(
        "REDIS_MAX_CONNECTIONS",
        ge=1,
        default=100,
        doc="Redis connections per process; a request beyond them waits for one.",
    )
    pool_timeout_s: float = setting(
        "REDIS_POOL_TIMEOUT_S",
        default=5.0,
        ge=0,
        doc="How long a request waits for a free Redis connection before failing (seconds).",
    )


@settings_group
class GraphQLSettings:
    """GraphQL limits."""

    max_depth: int = setting(
        "GRAPHQL_MAX_DEPTH", ge=1, default=12, doc="Deepest selection accepted."
    )
    max_aliases: int = setting(
        "GRAPHQL_MAX_ALIASES", ge=1, default=30, doc="Most aliases in one document."
    )
    max_tokens: int = setting(
        "GRAPHQL_MAX_TOKENS", ge=1, default=2_000, doc="Most lexical tokens in one document."
    )
    max_body_bytes: int = setting(
        "GRAPHQL_MAX_BODY_BYTES", ge=1, default=65_536, doc="Largest POST /graphql body, in bytes."
    )
    kept_answers: int = setting(
        "GRAPHQL_KEPT_ANSWERS",
        ge=0,
        default=2_048,
        doc="Dashboard answers kept per web process and served again while nothing they show "
        "has changed (backend/graphql/answers/); 0 executes every request.",
    )


@settings_group
class DevStackSettings:
    """Registry sandbox (`vienuviet sandbox`), development only.

    `make run` starts it while REGISTRY_URL is the default http://127.0.0.1:8100. It accepts
    the app's REGISTRY_CLIENT_ID and REGISTRY_CLIENT_SECRET.
    """

    sandbox_admin_token: str = setting(
        "SANDBOX_ADMIN_TOKEN",
        secret=True,
        default="sandbox-admin",
        doc="Bearer token for the sandbox's /admin endpoints (faults, clock, recorded SMS).",
    )
    sandbox_decide_after_s: int = setting(
        "SANDBOX_DECIDE_AFTER_S",
        ge=0,
        default=60,
        doc="The sandbox plays the institutions (integrations/devstack/institutions.py): it "
        "receives a submitted application at once and decides it after this many seconds.",
    )
    sandbox_today: date | None = setting(
        "SANDBOX_TODAY",
        default=None,
        doc="Pins the sandbox's today (YYYY-MM-DD); unset: today in Europe/Riga. "
        "`vienuviet sandbox --today` wins over it.",
    )
