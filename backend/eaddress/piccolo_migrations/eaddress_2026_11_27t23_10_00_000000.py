from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T23:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "eaddress_unread: the ids of incoming messages nobody has opened yet, kept by triggers, "
    "so unread counts cost what is unread, not the whole mailbox"
)

# Kept by the database itself, in the transaction that writes the message or its `opened`
# receipt: no code path can forget it, and the send statement stays one round trip.
TABLE = [
    "CREATE TABLE eaddress_unread ("
    "message UUID PRIMARY KEY REFERENCES eaddress_message (id) ON DELETE CASCADE, "
    "account UUID NOT NULL)",
    "CREATE INDEX eaddress_unread_account ON eaddress_unread (account)",
    "INSERT INTO eaddress_unread (message, account) "
    "SELECT m.id, m.account FROM eaddress_message m WHERE m.direction = 'in' "
    "AND NOT EXISTS (SELECT 1 FROM eaddress_receipt r "
    "WHERE r.message = m.id AND r.kind = 'opened' AND r.channel = '')",
]

POSTGRES = [
    "CREATE FUNCTION eaddress_unread_on_message() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF NEW.direction = 'in' THEN "
    "INSERT INTO eaddress_unread (message, account) VALUES (NEW.id, NEW.account); "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER eaddress_unread_message AFTER INSERT ON eaddress_message "
    "FOR EACH ROW EXECUTE FUNCTION eaddress_unread_on_message()",
    "CREATE FUNCTION eaddress_unread_on_receipt() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF NEW.kind = 'opened' AND NEW.channel = '' THEN "
    "DELETE FROM eaddress_unread WHERE message = NEW.message; "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER eaddress_unread_opened AFTER INSERT ON eaddress_receipt "
    "FOR EACH ROW EXECUTE FUNCTION eaddress_unread_on_receipt()",
]

SQLITE = [
    "CREATE TRIGGER eaddress_unread_message AFTER INSERT ON eaddress_message "
    "WHEN new.direction = 'in' BEGIN "
    "INSERT INTO eaddress_unread (message, account) VALUES (new.id, new.account); END",
    "CREATE TRIGGER eaddress_unread_opened AFTER INSERT ON eaddress_receipt "
    "WHEN new.kind = 'opened' AND new.channel = '' BEGIN "
    "DELETE FROM eaddress_unread WHERE message = new.message; END",
    # SQLite enforces the foreign key only when asked to; deleting a message cleans up anyway.
    "CREATE TRIGGER eaddress_unread_message_deleted AFTER DELETE ON eaddress_message BEGIN "
    "DELETE FROM eaddress_unread WHERE message = old.id; END",
]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="eaddress", description=DESCRIPTION
    )

    async def run():
        engine = engine_finder()
        specific = POSTGRES if engine.engine_type == "postgres" else SQLITE
        for statement in TABLE + specific:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
