from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.applications.tables import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationIdempotency,
    ApplicationMessage,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="applications",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Application,
        ApplicationEvent,
        ApplicationAttachment,
        ApplicationMessage,
        ApplicationIdempotency,
    ],
    migration_dependencies=["backend.auth.piccolo_app", "backend.eaddress.piccolo_app"],
    commands=[],
)
