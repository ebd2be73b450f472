from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.eaddress.tables import (
    Account,
    ArchivedMessage,
    Attachment,
    IdempotencyRecord,
    Institution,
    Message,
    MessageAttachment,
    Receipt,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="eaddress",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Institution,
        Account,
        Message,
        Attachment,
        MessageAttachment,
        Receipt,
        IdempotencyRecord,
        ArchivedMessage,
    ],
    migration_dependencies=["backend.events.piccolo_app"],
    commands=[],
)
