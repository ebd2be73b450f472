from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T07:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feedback: indexes for the statistics (by section) and the institution API (by path)"

# Plain SQL, valid on both engines.
INDEXES = (
    "CREATE INDEX page_feedback_section ON page_feedback (section, useful)",
    "CREATE INDEX page_feedback_path ON page_feedback (path)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="feedback", description=DESCRIPTION)

    async def indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for ddl in INDEXES:
            await engine.run_ddl(ddl)

    manager.add_raw(indexes)
    return manager
