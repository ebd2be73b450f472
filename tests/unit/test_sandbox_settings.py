"""The sandbox accepts what the app presents by default, and `make run` starts it only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.settings import (
    DEFAULT_REGISTRY_URL,
    RegistrySettings,
    SettingsError,
    load_settings,
)
from integrations.devstack.devserver import dev_processes
from integrations.devstack.sandbox.settings import (
    DEFAULT_LATENCY_MS,
    PREFIXES,
    SOURCES,
    SandboxSettings,
)


def test_sandbox_defaults_match_the_app_defaults() -> None:
    app = RegistrySettings(url=DEFAULT_REGISTRY_URL)
    sandbox = SandboxSettings()
    assert (sandbox.client_id, sandbox.client_secret) == (app.client_id, app.client_secret)
    assert f"http://{sandbox.host}:{sandbox.port}" == DEFAULT_REGISTRY_URL
    assert load_settings({"DEBUG": "1"}).registry.url == DEFAULT_REGISTRY_URL
    assert (
        load_settings({"DEBUG": "1"}).sms.gateway_url
        == DEFAULT_REGISTRY_URL + PREFIXES["sms_gateway"]
    )


def test_default_latencies_are_realistic() -> None:
    for source in SOURCES:
        assert 50 <= DEFAULT_LATENCY_MS[source] <= 800
    assert set(PREFIXES) >= set(SOURCES)


def test_dev_starts_the_sandbox_only_for_the_default_registry_url(tmp_path: Path) -> None:
    local = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    names = [p.name for p in dev_processes(local)]
    assert names.index("sandbox") < names.index("web")
    assert "web" in names
    remote = load_settings(
        {"DEBUG": "1", "VAR_DIR": str(tmp_path), "REGISTRY_URL": "https://registries.example"}
    )
    assert "sandbox" not in [p.name for p in dev_processes(remote)]


def test_registry_client_settings_come_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
            "REGISTRY_READ_TIMEOUT_S": "1.5",
            "REGISTRY_RETRIES": "0",
            "REGISTRY_BREAKER_FAILURES": "2",
            "REGISTRY_TOKEN_AUTH_METHOD": "client_secret_post",
        }
    ).registry
    assert (settings.read_timeout_s, settings.retries, settings.breaker_failures) == (1.5, 0, 2)
    assert settings.token_auth_method == "client_secret_post"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REGISTRY_READ_TIMEOUT_S", "soon"),
        ("REGISTRY_CONNECT_TIMEOUT_S", "-1"),
        ("REGISTRY_RETRIES", "two"),
        ("REGISTRY_BREAKER_FAILURES", "0"),
        ("REGISTRY_TOKEN_AUTH_METHOD", "private_key_jwt"),
    ],
)
def test_bad_registry_settings_name_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path), name: value})
