from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.catalogue.tables import CatalogueIdempotency, CataloguePublisher, CatalogueRecord

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="catalogue",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[CatalogueRecord, CataloguePublisher, CatalogueIdempotency],
    migration_dependencies=["backend.eaddress.piccolo_app"],
    commands=[],
)
