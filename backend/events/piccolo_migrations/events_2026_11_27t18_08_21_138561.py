from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T18:08:21:138561"
VERSION = "1.38.0"
DESCRIPTION = "partial index on pending events (valid on PostgreSQL and SQLite)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="events", description=DESCRIPTION
    )

    async def pending_index():
        await engine_finder().run_ddl(
            "CREATE INDEX events_event_pending ON events_event (created_at, id) "
            "WHERE consumed_at IS NULL"
        )

    manager.add_raw(pending_index)
    return manager
