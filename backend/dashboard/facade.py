"""The dashboard's façade: what it needs, given explicitly by the composition root
(`backend.services.Services.build`), instead of the whole `Services`.

The loader (`loader.py`), the entry points (`service.py`) and the obligation rules' facts
source (`facts_source.py`) take a `Dashboard`; GraphQL and pages reach it as
`services.dashboard` (or, below the root, as a dependency handed to them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.engine.base import Engine

from backend.auth.subjects import RepresentationSource
from backend.dashboard.versions import STORE_NAME as VERSIONS_STORE
from backend.dashboard.versions import SubjectVersions
from backend.lib.store import Stores
from backend.lib.time import utcnow
from backend.settings import DashboardSettings
from integrations.registries.clients import RegistryClients


@dataclass(frozen=True)
class Dashboard:
    settings: DashboardSettings
    registries: RegistryClients
    stores: Stores
    """The source cache, versions and refresh counters live here."""
    representations: RepresentationSource
    """Who may act for which company (a company's dashboard is checked against it)."""
    engine: Engine[Any]
    """The database engine change detection writes through (`changes.observe`)."""
    clock: Callable[[], datetime] = utcnow
    """The time that decides how fresh the data is (`Services.clock`: one clock)."""

    @property
    def versions(self) -> SubjectVersions:
        """The subjects' dashboard versions (kept answers end when theirs changes): the one
        place `SubjectVersions` is built."""
        return SubjectVersions(self.stores.store(VERSIONS_STORE))
