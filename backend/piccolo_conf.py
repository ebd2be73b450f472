"""Piccolo's configuration: the engine from DATABASE_URL and the registry of feature apps.

Piccolo's own CLI (`PICCOLO_CONF=backend.piccolo_conf piccolo migrations new APP --auto`) reads
this module. At run time `backend.lib.db.bind_engine` replaces `DB` with the engine built from
the process's settings, so code never depends on the import-time value below.
"""

from __future__ import annotations

import os

from piccolo.conf.apps import AppRegistry

from backend.lib.db import make_engine
from backend.settings import DEFAULT_VAR_DIR, DatabaseSettings

DB = make_engine(
    DatabaseSettings(
        url=os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_VAR_DIR / 'vienuviet.sqlite3'}"
    )
)

APP_REGISTRY = AppRegistry(
    apps=[
        "backend.auth.piccolo_app",
        "backend.events.piccolo_app",
        "backend.notifications.piccolo_app",
        "backend.eaddress.piccolo_app",
        "backend.obligations.piccolo_app",
        "backend.dashboard.piccolo_app",
        "backend.catalogue.piccolo_app",
        "backend.applications.piccolo_app",
        "backend.feedback.piccolo_app",
    ]
)
