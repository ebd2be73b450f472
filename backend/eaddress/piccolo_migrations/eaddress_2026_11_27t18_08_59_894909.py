from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T18:08:59:894909"
VERSION = "1.38.0"
DESCRIPTION = (
    "composite indexes, immutability triggers and full-text search "
    "(GIN on PostgreSQL, FTS5 on SQLite)"
)

BOTH = [
    "CREATE UNIQUE INDEX eaddress_receipt_unique "
    "ON eaddress_receipt (message, kind, channel)",
    "CREATE UNIQUE INDEX eaddress_idempotency_unique "
    "ON eaddress_idempotency (institution, key)",
    "CREATE UNIQUE INDEX eaddress_message_attachment_unique "
    "ON eaddress_message_attachment (message, position)",
    "CREATE INDEX eaddress_message_mailbox "
    "ON eaddress_message (account, direction, sent_at, id)",
    "CREATE INDEX eaddress_message_by_institution "
    "ON eaddress_message (institution, direction, sent_at, id)",
    "CREATE INDEX eaddress_message_deemed "
    "ON eaddress_message (deemed_delivered_on) WHERE direction = 'in'",
]

IMMUTABLE = (
    "eaddress_message",
    "eaddress_receipt",
    "eaddress_attachment",
    "eaddress_message_attachment",
)

POSTGRES = [
    # Stored, so that checking a row against a query never re-parses its text.
    "ALTER TABLE eaddress_message ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_document)) STORED",
    # A small pending list: new messages reach the index proper soon, so a search never has
    # to scan a long list of not-yet-merged entries while messages pour in.
    "CREATE INDEX eaddress_message_search ON eaddress_message USING GIN (search_vector) "
    "WITH (gin_pending_list_limit = 256)",
    "CREATE FUNCTION eaddress_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME "
    "USING ERRCODE = 'restrict_violation'; END $$",
    *(
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION eaddress_refuse_update()"
        for table in IMMUTABLE
    ),
]

SQLITE = [
    "CREATE VIRTUAL TABLE eaddress_message_fts USING fts5("
    "message_id UNINDEXED, search_document, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER eaddress_message_fts_insert AFTER INSERT ON eaddress_message BEGIN "
    "INSERT INTO eaddress_message_fts (message_id, search_document) "
    "VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER eaddress_message_fts_delete AFTER DELETE ON eaddress_message BEGIN "
    "DELETE FROM eaddress_message_fts WHERE message_id = old.id; END",
    *(
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'rows of {table} are immutable'); END"
        for table in IMMUTABLE
    ),
]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="eaddress", description=DESCRIPTION
    )

    async def run():
        engine = engine_finder()
        specific = POSTGRES if engine.engine_type == "postgres" else SQLITE
        for statement in BOTH + specific:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
