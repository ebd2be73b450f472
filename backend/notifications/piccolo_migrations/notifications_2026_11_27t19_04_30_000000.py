from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T19:04:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "notification centre: composite keys and the outbox work indexes"

# Plain SQL, valid on PostgreSQL and SQLite alike. In a migration of its own because Piccolo
# runs a migration's raw steps before its table steps.
STATEMENTS = (
    "CREATE UNIQUE INDEX notify_preference_key ON notify_preference "
    "(person, subject_key, category, channel)",
    "CREATE UNIQUE INDEX notify_contact_kind ON notify_contact (person, kind)",
    # Partial indexes: the claim reads pending rows in due order, the sweeper sending rows by
    # lease; neither needs the (growing) history of sent rows in its index.
    "CREATE INDEX notify_outbox_pending ON notify_outbox (due_at) WHERE status = 'pending'",
    "CREATE INDEX notify_outbox_sending ON notify_outbox (lease_until) WHERE status = 'sending'",
    "CREATE INDEX notify_outbox_person_event ON notify_outbox (person, event_key)",
    "CREATE INDEX notify_attempt_outbox ON notify_attempt (outbox)",
    "CREATE INDEX notify_inapp_person ON notify_inapp (person, created_at)",
    "CREATE UNIQUE INDEX notify_undelivered_key ON notify_undelivered (event_key, person)",
)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )

    async def run():
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
