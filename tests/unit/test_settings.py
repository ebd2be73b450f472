"""Settings: embedded defaults, environment overrides and clear errors for bad values."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import uvicorn

from backend import cli
from backend.settings import SettingsError, load_settings


def test_defaults_are_the_embedded_mode(tmp_path: Path) -> None:
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    assert settings.mode == "sqlite+memory"
    assert settings.database.sqlite_path == tmp_path / "vienuviet.sqlite3"
    assert settings.store.redis_url is None
    assert settings.web.public_url == "http://127.0.0.1:8000"
    assert settings.oidc.issuer == "http://127.0.0.1:8001"
    assert settings.registry.url == "http://127.0.0.1:8100"
    assert settings.oidc.person_code_claim == "personal_code"


def test_development_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)}).web.secret_key
    second = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)}).web.secret_key
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_selects_postgres_and_redis() -> None:
    settings = load_settings(
        {
            "SECRET_KEY": "k" * 40,
            "DATABASE_URL": "postgresql://u@db/app",
            "REDIS_URL": "redis://cache:6379/0",
            "PUBLIC_URL": "https://vienuviet.example/",
            "OIDC_ISSUER": "https://id.example/",
            "OIDC_PERSON_CODE_CLAIM": "serialNumber",
        }
    )
    assert settings.mode == "postgresql+redis"
    assert settings.web.public_url == "https://vienuviet.example"
    assert settings.web.is_https
    assert settings.oidc.issuer == "https://id.example"
    assert settings.oidc.person_code_claim == "serialNumber"


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "k" * 40, "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SECRET_KEY": "k" * 40, "REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"SECRET_KEY": "k" * 40, "PUBLIC_URL": "ftp://x"}, "PUBLIC_URL"),
        ({"SECRET_KEY": "k" * 40, "PUBLIC_URL": "http://vienuviet.example"}, "PUBLIC_URL"),
        ({"SECRET_KEY": "k" * 40, "PORT": "eighty"}, "PORT"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        load_settings(env)


def test_an_env_file_is_read_and_the_real_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / "settings.env"
    env_file.write_text(f"DEBUG=1\nVAR_DIR={tmp_path}\nHOST=10.1.1.1\nPORT=9001\n")
    monkeypatch.setenv("ENV_FILE", str(env_file))
    monkeypatch.setenv("PORT", "9002")
    monkeypatch.delenv("HOST", raising=False)
    settings = load_settings()
    assert (settings.web.host, settings.web.port) == ("10.1.1.1", 9002)


def test_serve_trusts_the_proxies_named_in_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FORWARDED_ALLOW_IPS given in .env reaches the server, like every other setting."""
    env_file = tmp_path / "settings.env"
    env_file.write_text(f"DEBUG=1\nVAR_DIR={tmp_path}\nFORWARDED_ALLOW_IPS=10.0.0.7\n")
    monkeypatch.setenv("ENV_FILE", str(env_file))
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    started: list[dict[str, object]] = []
    # The server itself is not the subject: what the command hands it is.
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    cli.cmd_serve(cli.build_parser().parse_args(["serve"]), load_settings())
    assert started[0]["forwarded_allow_ips"] == "10.0.0.7"


def test_an_empty_variable_means_the_default(tmp_path: Path) -> None:
    """As `.env.example` says: `HOST=` is unset, not an empty address."""
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path), "HOST": "", "PORT": "", "STORE_NAMESPACE": ""}
    settings = load_settings(env)
    assert (settings.web.host, settings.web.port) == ("127.0.0.1", 8000)
    assert settings.store.namespace == "vienuviet"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_duration_must_be_a_finite_number(tmp_path: Path, value: str) -> None:
    """A NaN timeout compares false with everything: it must stop the start, not every wait."""
    with pytest.raises(SettingsError, match="REGISTRY_READ_TIMEOUT_S"):
        load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path), "REGISTRY_READ_TIMEOUT_S": value})


def test_the_sandbox_day_is_a_date(tmp_path: Path) -> None:
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path)}
    assert load_settings({**env, "SANDBOX_TODAY": "2026-03-02"}).devstack.sandbox_today == date(
        2026, 3, 2
    )
    with pytest.raises(SettingsError, match="SANDBOX_TODAY must be a date"):
        load_settings({**env, "SANDBOX_TODAY": "2 March"})


def test_private_key_jwt_needs_the_key(tmp_path: Path) -> None:
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path), "OIDC_TOKEN_AUTH_METHOD": "private_key_jwt"}
    with pytest.raises(SettingsError, match="needs OIDC_CLIENT_PRIVATE_KEY"):
        load_settings(env)
    pem = "-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----\n"
    (tmp_path / "client.pem").write_text(pem)
    settings = load_settings({**env, "OIDC_CLIENT_PRIVATE_KEY": str(tmp_path / "client.pem")})
    assert settings.auth.client_private_key == pem


def test_derived_defaults_follow_var_dir(tmp_path: Path) -> None:
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    assert settings.eaddress.attachments_dir == tmp_path / "attachments"
    assert settings.eaddress.keys_dir == tmp_path / "keys"
    assert (tmp_path / "secret_key").read_text() == settings.web.secret_key


def test_outside_development_nothing_is_generated(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY is required outside development"):
        load_settings({"VAR_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


def test_settings_cannot_be_changed_after_reading(tmp_path: Path) -> None:
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.push.ttl_s = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.dashboard.sources["nhs"] = settings.dashboard.sources["srs"]  # type: ignore[index]


def test_secrets_stay_out_of_the_settings_repr(tmp_path: Path) -> None:
    """Settings end up in tracebacks and debug logs; keys and passwords must not."""
    secrets = {
        "SECRET_KEY": "TOPSECRET" * 4,
        "OIDC_CLIENT_SECRET": "TOPSECRET",
        "OIDC_CLIENT_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----TOPSECRET",
        "VAPID_PRIVATE_KEY": "TOPSECRET",
        "SMS_GATEWAY_TOKEN": "TOPSECRET",
        "REGISTRY_CLIENT_SECRET": "TOPSECRET",
        "SANDBOX_ADMIN_TOKEN": "TOPSECRET",
        "DATABASE_URL": "postgresql://app:TOPSECRET@db/app",
        "REDIS_URL": "redis://:TOPSECRET@cache:6379/0",
        "SMTP_URL": "smtps://mail:TOPSECRET@mail.example:465",
    }
    settings = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path), **secrets})
    assert settings.database.url == secrets["DATABASE_URL"]
    shown = repr(settings)
    assert "OIDCSettings(issuer='http://127.0.0.1:8001'" in shown  # the rest is shown
    assert "TOPSECRET" not in shown
