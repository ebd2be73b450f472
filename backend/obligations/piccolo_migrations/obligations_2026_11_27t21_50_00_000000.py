from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-27T21:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reminders keep their title as a translatable text (msgid and parameters, JSON)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="obligations", description=DESCRIPTION
    )

    # Nullable: rows written before this keep their English `title` and are shown as they are.
    manager.add_column(
        table_class_name="Reminder",
        tablename="obligations_reminder",
        column_name="title_text",
        db_column_name="title_text",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
