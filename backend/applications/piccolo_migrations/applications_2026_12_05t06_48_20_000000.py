from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T06:48:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "applications: one per form key and per prepared fact; a subject's list by time"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="applications", description=DESCRIPTION)

    async def indexes() -> None:
        engine = engine_finder()
        # Saving or submitting one form twice (a double tap, a retry) is one application; one
        # registry fact prepares one application. NULLs never collide, on either engine.
        await engine.run_ddl(
            "CREATE UNIQUE INDEX applications_subject_client_key "
            "ON applications_application (subject_key, client_key)"
        )
        await engine.run_ddl(
            "CREATE UNIQUE INDEX applications_subject_prepared_key "
            "ON applications_application (subject_key, prepared_key)"
        )
        # The list: a subject's applications, newest first.
        await engine.run_ddl(
            "CREATE INDEX applications_subject_updated "
            "ON applications_application (subject_key, updated_at)"
        )

    manager.add_raw(indexes)
    return manager
