"""A database from before identities (one `oidc_key` per person) migrates without losing
anyone: each person keeps their data, gets their person key and their first identity, and
logging in through that provider still finds them. Run on a fresh database of the engine
under test, in a subprocess (migrating binds Piccolo's engine process-wide)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from backend.settings import Settings

BEFORE = "2026-11-27T18:44:43:893954"  # the auth app's state before identities

SCRIPT = """
import asyncio, json, sys, uuid
from datetime import datetime, timezone
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.querystring import QueryString
from backend.lib import db
from backend.settings import DatabaseSettings

async def main(url, before):
    settings = DatabaseSettings(url=url)
    engine = db.make_engine(settings)
    db.bind_engine(engine)
    await db.start_engine(engine, settings)
    run = lambda sql, *args: engine.run_querystring(QueryString(sql, *args))
    assert (await run_forwards(app_name="auth", migration_id=before)).success
    anna, pierre, nobody = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    then = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    until = datetime(2027, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    for person, key, code, eidas in (
        (anna, "http://127.0.0.1:8001 sub-anna", "150385-11028", None),
        (pierre, "http://127.0.0.1:8001 sub-pierre", None, "FR/LV/0123456789"),
        (nobody, "https://other.example sub with spaces", None, None),
    ):
        await run(
            "INSERT INTO auth_person (id, oidc_key, personal_code, eidas_id, given_name, "
            "family_name, locale, created_at) VALUES ({}, {}, {}, {}, 'G', 'F', 'lv', {})",
            person, key, code, eidas, then,
        )
    await run(
        "INSERT INTO auth_delegation (id, company_number, company_name, grantor, "
        "grantee_personal_code, scopes, valid_from, valid_until, created_at) VALUES "
        "({}, '40003123459', 'Ozols Tech SIA', {}, '010190-12345', 'view_mail', {}, {}, {})",
        uuid.uuid4(), anna, then, until, then,
    )
    await db.run_migrations(engine)
    people = await run("SELECT id, person_key FROM auth_person")
    identities = await run("SELECT person, issuer, subject FROM auth_identity")
    grantors = await run("SELECT grantor FROM auth_delegation")
    names = {str(anna): "anna", str(pierre): "pierre", str(nobody): "nobody"}
    print(json.dumps({
        "keys": {names[str(r["id"])]: r["person_key"] for r in people},
        "identities": sorted(
            [names[str(r["person"])], r["issuer"], r["subject"]] for r in identities
        ),
        "grantors": [names[str(r["grantor"])] for r in grantors],
    }))
    await db.stop_engine(engine)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


@pytest.fixture
def empty_database(settings: Settings, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the engine under test."""
    if not settings.database.is_postgres:
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    name = f"vv_migration_{uuid.uuid4().hex[:10]}"
    server = settings.database.url

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(server)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        asyncio.run(admin(f'DROP DATABASE "{name}"'))


def test_people_from_before_identities_keep_everything(empty_database: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", SCRIPT, empty_database, BEFORE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    migrated = json.loads(result.stdout.strip().splitlines()[-1])
    assert migrated["keys"] == {
        "anna": "pc:150385-11028",
        "pierre": "eidas:FR/LV/0123456789",
        "nobody": "sub:https://other.example sub with spaces",
    }
    assert migrated["identities"] == [
        ["anna", "http://127.0.0.1:8001", "sub-anna"],
        ["nobody", "https://other.example", "sub with spaces"],
        ["pierre", "http://127.0.0.1:8001", "sub-pierre"],
    ]
    assert migrated["grantors"] == ["anna"]
