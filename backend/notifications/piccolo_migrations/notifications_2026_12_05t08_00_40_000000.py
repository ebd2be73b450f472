from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T08:00:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "notification centre: one topic per (institution, id), one subscription each"

# Plain SQL, valid on both engines (Piccolo's column options cannot say composite unique).
INDEXES = (
    "CREATE UNIQUE INDEX notify_topic_key ON notify_topic (institution, topic_id)",
    "CREATE UNIQUE INDEX notify_topic_subscription_key ON notify_topic_subscription "
    "(topic, person)",
    "CREATE INDEX notify_institution_notice_topic ON notify_institution_notice (topic) "
    "WHERE topic IS NOT NULL",
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
