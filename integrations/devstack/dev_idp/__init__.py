"""The development OpenID Connect identity provider (`vienuviet idp`); see README.md."""

from integrations.devstack.dev_idp.app import create_idp_app
from integrations.devstack.dev_idp.settings import (
    DEFAULT_ISSUER,
    DevIdPRefused,
    DevIdPSettings,
    RegisteredClient,
    default_client,
    dev_idp_settings,
)

__all__ = [
    "DEFAULT_ISSUER",
    "DevIdPRefused",
    "DevIdPSettings",
    "RegisteredClient",
    "create_idp_app",
    "default_client",
    "dev_idp_settings",
]
