from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T07:39:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "institution API: one message per step, one answer per key, the work list by time"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="applications", description=DESCRIPTION)

    async def indexes() -> None:
        engine = engine_finder()
        # One message per step (a retried step cannot send twice); one answer per key.
        await engine.run_ddl(
            "CREATE UNIQUE INDEX applications_message_event ON applications_message (event)"
        )
        await engine.run_ddl(
            "CREATE UNIQUE INDEX applications_idempotency_client_key "
            "ON applications_idempotency (client, key)"
        )
        # The institutions' work list: applications of some services, oldest submitted first.
        await engine.run_ddl(
            "CREATE INDEX applications_service_submitted "
            "ON applications_application (service, submitted_at, id)"
        )

    manager.add_raw(indexes)
    return manager
