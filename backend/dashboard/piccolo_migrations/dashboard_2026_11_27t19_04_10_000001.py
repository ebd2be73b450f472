from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T19:04:10:000001"
VERSION = "1.38.0"
DESCRIPTION = "composite indexes of the dashboard tables (valid on PostgreSQL and SQLite)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="dashboard", description=DESCRIPTION
    )

    async def indexes():
        engine = engine_finder()
        # One fingerprint row per person and source: concurrent first observations collide.
        await engine.run_ddl(
            "CREATE UNIQUE INDEX dashboard_seen_person_source ON dashboard_seen (person, source)"
        )
        await engine.run_ddl(
            "CREATE INDEX dashboard_change_person_time ON dashboard_change (person, detected_at)"
        )
        # "Who looked at my data": newest first, keyset on id.
        await engine.run_ddl(
            "CREATE INDEX dashboard_data_access_subject_id "
            "ON dashboard_data_access (subject_key, id)"
        )

    manager.add_raw(indexes)
    return manager
