from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T07:40:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "notification centre: one row per template version and per idempotency key"

# Plain SQL, valid on both engines (Piccolo's column options cannot say composite unique).
INDEXES = (
    "CREATE UNIQUE INDEX notify_template_version ON notify_template "
    "(institution, template_id, version)",
    "CREATE UNIQUE INDEX notify_institution_notice_key ON notify_institution_notice "
    "(institution, idempotency_key)",
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
