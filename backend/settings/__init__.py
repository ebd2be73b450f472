"""Typed settings, grouped by concern, each declared once and read once from the environment.

Each setting is one `setting(...)` in a group (`core`, `identity`, `delivery`, `features`): its
variable, type, default, bounds and documentation. `load_settings()` reads them all from the
environment (a `.env` file is read as if its lines were there; the real environment wins);
`.env.example` is generated from them (`make env-example`) and a test keeps it so.
"""

from backend.settings.core import (
    DEFAULT_VAR_DIR,
    PROJECT_ROOT,
    DatabaseSettings,
    DevStackSettings,
    GraphQLSettings,
    StoreSettings,
    WebSettings,
)
from backend.settings.declare import SettingsError
from backend.settings.delivery import (
    SMTP_SCHEMES,
    EmailSettings,
    EventSettings,
    NotificationSettings,
    PushSettings,
    SMSSettings,
)
from backend.settings.features import (
    DASHBOARD_SOURCES,
    DEFAULT_REGISTRY_URL,
    DEFAULT_SOURCE_POLICIES,
    EADDRESS_DEFAULT_TYPES,
    DashboardSettings,
    EAddressSettings,
    ObligationsSettings,
    RegistrySettings,
    SourcePolicy,
)
from backend.settings.identity import LEVELS, AuthSettings, OIDCSettings
from backend.settings.load import Settings, load_settings, read_environment
from backend.settings.push_origins import DEFAULT_PUSH_ORIGINS, PushOrigin, parse_push_origins

__all__ = [
    "DASHBOARD_SOURCES",
    "DEFAULT_PUSH_ORIGINS",
    "DEFAULT_REGISTRY_URL",
    "DEFAULT_SOURCE_POLICIES",
    "DEFAULT_VAR_DIR",
    "EADDRESS_DEFAULT_TYPES",
    "LEVELS",
    "PROJECT_ROOT",
    "SMTP_SCHEMES",
    "AuthSettings",
    "DashboardSettings",
    "DatabaseSettings",
    "DevStackSettings",
    "EAddressSettings",
    "EmailSettings",
    "EventSettings",
    "GraphQLSettings",
    "NotificationSettings",
    "OIDCSettings",
    "ObligationsSettings",
    "PushOrigin",
    "PushSettings",
    "RegistrySettings",
    "SMSSettings",
    "Settings",
    "SettingsError",
    "SourcePolicy",
    "StoreSettings",
    "WebSettings",
    "load_settings",
    "parse_push_origins",
    "read_environment",
]
