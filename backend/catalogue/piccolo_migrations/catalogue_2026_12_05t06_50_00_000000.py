from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T06:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "catalogue: one row per (entry, version) and per (publisher, idempotency key); an index "
    "for the published-versions count the revision check asks for"
)

# Plain SQL, valid on both engines (Piccolo's column options cannot say composite unique).
INDEXES = (
    "CREATE UNIQUE INDEX catalogue_record_version ON catalogue_record (kind, entry_id, version)",
    "CREATE INDEX catalogue_record_status ON catalogue_record (status)",
    "CREATE UNIQUE INDEX catalogue_idempotency_key ON catalogue_idempotency (client, key)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="catalogue", description=DESCRIPTION)

    async def indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for ddl in INDEXES:
            await engine.run_ddl(ddl)

    manager.add_raw(indexes)
    return manager
