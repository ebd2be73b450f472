from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.events.tables import DomainEvent

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="events",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[DomainEvent],
    migration_dependencies=[],
    commands=[],
)
