"""The schema comes from the real migrations, on either engine, and unique keys behave alike."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from backend.auth.tables import Person
from backend.lib import db
from backend.lib.errors import UniqueViolation
from backend.services import Services


async def test_migrations_built_the_tables_and_rerunning_them_changes_nothing(
    services: Services,
) -> None:
    await db.run_migrations(services.engine)  # already applied by the fixture: a no-op
    assert await Person.count().run() >= 0


async def test_unique_violation_is_one_exception_on_both_engines(services: Services) -> None:
    key = f"https://id.example {uuid.uuid4()}"
    await Person(person_key=key, given_name="Anna", family_name="Bērziņa").save().run()
    with pytest.raises(UniqueViolation) as caught:
        async with db.unique_violation("that person exists already", code="person_exists"):
            await Person(person_key=key, given_name="Anna", family_name="Bērziņa").save().run()
    assert caught.value.code == "person_exists"
    assert caught.value.status_code == 409


async def test_other_errors_pass_through_unchanged(services: Services) -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the driver's own type differs per engine
        async with db.unique_violation("never raised"):
            await services.engine.run_ddl("SELECT * FROM no_such_table")
    assert not isinstance(caught.value, UniqueViolation)


def test_migrate_command_on_a_fresh_sqlite_file_is_idempotent(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "backend.cli", "migrate"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "migrated" in result.stdout
    assert (tmp_path / "fresh.sqlite3").exists()
