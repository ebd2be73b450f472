"""The registry sandbox: plays the state registries over real HTTP (see README.md)."""

from integrations.devstack.sandbox.app import create_sandbox_app
from integrations.devstack.sandbox.settings import SandboxSettings

__all__ = ["SandboxSettings", "create_sandbox_app"]
