"""Settings: embedded defaults, environment overrides and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

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
