from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.dashboard.tables import ChangeEntry, DataAccess, SeenState, SourceConsent, Visit

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="dashboard",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[SourceConsent, SeenState, ChangeEntry, Visit, DataAccess],
    migration_dependencies=["backend.auth.piccolo_app"],
    commands=[],
)
