from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.auth.tables import AuditEvent, Delegation, Person, PersonIdentity

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="auth",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Person, PersonIdentity, Delegation, AuditEvent],
    migration_dependencies=[],
    commands=[],
)
