"""`vienuviet seed` loads the personas' demo data, twice without duplicates, and only in
development."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "backend.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_seed_is_idempotent_and_development_only(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'seed.sqlite3'}",
    }
    refused = run(["seed"], {**env, "SECRET_KEY": "k" * 40})
    assert refused.returncode == 2
    assert "development only" in refused.stderr
    dev = {**env, "DEBUG": "1"}
    assert run(["migrate"], dev).returncode == 0
    for _ in range(2):
        seeded = run(["seed"], dev)
        assert seeded.returncode == 0, seeded.stderr
    with sqlite3.connect(tmp_path / "seed.sqlite3") as conn:
        people = conn.execute("SELECT count(*) FROM auth_person").fetchone()[0]
        delegations = conn.execute("SELECT count(*) FROM auth_delegation").fetchone()[0]
    assert people == 9
    assert delegations == 1
