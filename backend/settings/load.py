"""All settings together, read once from the environment (and `.env`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from backend.settings.core import (
    DatabaseSettings,
    DevStackSettings,
    GraphQLSettings,
    StoreSettings,
    WebSettings,
)
from backend.settings.declare import (
    Context,
    SettingsError,
    field_types,
    read_field,
    read_group,
)
from backend.settings.delivery import (
    EmailSettings,
    EventSettings,
    NotificationSettings,
    PushSettings,
    SMSSettings,
)
from backend.settings.features import (
    DashboardSettings,
    EAddressSettings,
    ObligationsSettings,
    RegistrySettings,
)
from backend.settings.identity import AuthSettings, OIDCSettings


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every group, in the order `.env.example` documents them."""

    web: WebSettings
    database: DatabaseSettings
    store: StoreSettings
    graphql: GraphQLSettings
    oidc: OIDCSettings
    auth: AuthSettings
    push: PushSettings
    email: EmailSettings
    sms: SMSSettings
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    events: EventSettings = field(default_factory=EventSettings)
    registry: RegistrySettings
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    eaddress: EAddressSettings
    obligations: ObligationsSettings = field(default_factory=ObligationsSettings)
    devstack: DevStackSettings = field(default_factory=DevStackSettings)

    @property
    def mode(self) -> str:
        """`postgresql+redis`, `sqlite+memory` or a mix: shown by /readyz and in test output."""
        db = "postgresql" if self.database.is_postgres else "sqlite"
        store = "redis" if self.store.redis_url else "memory"
        return f"{db}+{store}"


def read_environment() -> dict[str, str]:
    """The process environment merged over `.env` (if present); the environment wins.

    ENV_FILE names another file than `.env` in the working directory.
    """
    env_file = Path(os.environ.get("ENV_FILE", ".env"))
    merged: dict[str, str] = {}
    if env_file.is_file():
        from dotenv import dotenv_values  # only when there is a file to read

        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ)
    return merged


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from `environ`, or else from the environment and `.env`.

    Raises SettingsError naming the variable when a value is missing or malformed.
    """
    env = read_environment() if environ is None else environ
    # What other settings' defaults and rules depend on: read first.
    bootstrap = Context(debug=False, var_dir=Path())
    ctx = Context(
        debug=read_field(WebSettings, "debug", env, bootstrap),
        var_dir=read_field(WebSettings, "var_dir", env, bootstrap),
    )
    groups = field_types(Settings)
    settings = Settings(**{f.name: read_group(groups[f.name], env, ctx) for f in fields(Settings)})
    _check_combinations(settings)
    return settings


def _check_combinations(settings: Settings) -> None:
    """Rules that span settings, each valid alone."""
    auth = settings.auth
    if auth.token_auth_method == "private_key_jwt" and not auth.client_private_key:  # noqa: S105
        raise SettingsError("OIDC_TOKEN_AUTH_METHOD=private_key_jwt needs OIDC_CLIENT_PRIVATE_KEY")
