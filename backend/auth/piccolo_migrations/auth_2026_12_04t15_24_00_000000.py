"""Existing people keep every provider they logged in through, and get their person key.

Before this, a person row held one `oidc_key` (`issuer + " " + sub`). Each becomes the
person's first identity, and the column (renamed `person_key` by the previous migration) is
rewritten to the person's natural key: `pc:<personal code>`, else `eidas:<identifier>`, else
`sub:<issuer> <sub>`. Plain SQL valid on PostgreSQL and SQLite; no live tables imported.
"""

import uuid

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-04T15:24:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "each person's oidc_key becomes their first identity; person keys by personal code"


def _person_key(old_key, personal_code, eidas_id):
    if personal_code:
        return f"pc:{personal_code}"
    if eidas_id:
        return f"eidas:{eidas_id}"
    return f"sub:{old_key}"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="auth", description=DESCRIPTION)

    async def unique_identity():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX auth_identity_issuer_subject ON auth_identity (issuer, subject)"
        )
        await engine_finder().run_ddl(
            "CREATE INDEX auth_identity_person ON auth_identity (person)"
        )

    async def identities_from_oidc_keys():
        engine = engine_finder()
        rows = await engine.run_querystring(
            QueryString(
                "SELECT id, person_key, personal_code, eidas_id, created_at, last_login_at "
                "FROM auth_person"
            )
        )
        for row in rows:
            old_key = row["person_key"]
            if old_key.startswith(("pc:", "eidas:", "sub:")):
                continue  # already a person key (the migration is being re-run)
            issuer, _, subject = old_key.partition(" ")
            await engine.run_querystring(
                QueryString(
                    "INSERT INTO auth_identity (id, person, issuer, subject, created_at, "
                    "last_login_at) VALUES ({}, {}, {}, {}, {}, {})",
                    uuid.uuid4(),
                    row["id"],
                    issuer,
                    subject,
                    row["created_at"],
                    row["last_login_at"],
                )
            )
            await engine.run_querystring(
                QueryString(
                    "UPDATE auth_person SET person_key = {} WHERE id = {}",
                    _person_key(old_key, row["personal_code"], row["eidas_id"]),
                    row["id"],
                )
            )

    manager.add_raw(unique_identity)
    manager.add_raw(identities_from_oidc_keys)
    return manager
