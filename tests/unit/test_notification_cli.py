"""`vienuviet vapid`, the mail sink in `vienuviet dev`, and the `bench` dispatcher."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from litestar.channels.backends.memory import MemoryChannelsBackend

from backend.lib.store import MemoryCounters
from backend.notifications.runtime import NotificationRuntime
from backend.settings import SettingsError, load_settings
from integrations.devstack.devserver import dev_processes


def vapid(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", "vapid"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_vapid_creates_the_key_once_and_prints_the_public_key(tmp_path: Path) -> None:
    first = vapid(tmp_path)
    assert first.returncode == 0, first.stderr
    public = first.stdout.strip()
    assert len(public) == 87  # base64url of a 65-byte uncompressed P-256 point
    key_file = tmp_path / "vapid_private_key.pem"
    assert key_file.stat().st_mode & 0o077 == 0
    assert vapid(tmp_path).stdout.strip() == public  # kept, not replaced


def test_vapid_private_key_setting_wins_and_bad_keys_are_named(tmp_path: Path) -> None:
    given = vapid(tmp_path / "a").stdout.strip()
    pem = (tmp_path / "a" / "vapid_private_key.pem").read_text()
    from_setting = vapid(tmp_path / "b", VAPID_PRIVATE_KEY=pem)
    assert from_setting.stdout.strip() == given
    assert not (tmp_path / "b" / "vapid_private_key.pem").exists()
    bad = vapid(tmp_path / "c", VAPID_PRIVATE_KEY="not-a-key")
    assert bad.returncode == 2
    assert "VAPID_PRIVATE_KEY must be a P-256 private key" in bad.stderr


def test_dev_starts_the_mail_sink_only_for_the_default_smtp_url(tmp_path: Path) -> None:
    default = load_settings({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    assert [p.name for p in dev_processes(default)] == [
        "mailsink",
        "idp",
        "sandbox",
        "web",
        "worker",
    ]
    elsewhere = load_settings(
        {"DEBUG": "1", "VAR_DIR": str(tmp_path), "SMTP_URL": "smtps://mail.example"}
    )
    assert "mailsink" not in [p.name for p in dev_processes(elsewhere)]


def test_bench_refuses_unknown_names(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backend.cli", "bench", "no_such_bench"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "no benchmark named 'no_such_bench'" in result.stderr


def test_production_never_invents_a_vapid_key(tmp_path: Path) -> None:
    production = load_settings({"SECRET_KEY": "k" * 40, "VAR_DIR": str(tmp_path)})
    rt = NotificationRuntime.build(production, MemoryCounters(), MemoryChannelsBackend())
    with pytest.raises(SettingsError, match="VAPID_PRIVATE_KEY"):
        _ = rt.vapid_public_key
    assert not (tmp_path / "vapid_private_key.pem").exists()
