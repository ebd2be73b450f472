from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.obligations.tables import CalendarFeed, ObligationMark, Reminder, ReportedMove, Sweep

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="obligations",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[ObligationMark, Reminder, CalendarFeed, ReportedMove, Sweep],
    migration_dependencies=["backend.auth.piccolo_app"],
    commands=[],
)
