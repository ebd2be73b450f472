from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T19:18:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique sweep per subject and day; one live calendar feed per person and subject"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="obligations", description=DESCRIPTION
    )

    async def composite_indexes():
        # Plain SQL valid on PostgreSQL and SQLite (raw steps run before a migration's own
        # tables exist, hence a migration of its own).
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX obligations_sweep_subject_day "
            "ON obligations_sweep (subject_key, day)"
        )
        await engine.run_ddl(
            "CREATE UNIQUE INDEX obligations_calendar_feed_live "
            "ON obligations_calendar_feed (person, subject_key) WHERE revoked_at IS NULL"
        )

    manager.add_raw(composite_indexes)
    return manager
