from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T07:52:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "notification centre: one bulk job per idempotency key, one item per position"

# Plain SQL, valid on both engines (Piccolo's column options cannot say composite unique).
INDEXES = (
    "CREATE UNIQUE INDEX notify_bulk_job_key ON notify_bulk_job (institution, idempotency_key)",
    "CREATE UNIQUE INDEX notify_bulk_item_position ON notify_bulk_item (job, position)",
    "CREATE INDEX notify_bulk_job_open ON notify_bulk_job (created_at) WHERE status <> 'done'",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for ddl in INDEXES:
            await engine.run_ddl(ddl)

    manager.add_raw(indexes)
    return manager
