"""The composition root: every long-lived client one process needs, built from settings.

Building `Services` does no I/O; `start()` opens pools and `close()` releases them. The web app
owns the services it builds; tests and jobs may build their own and hand them in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry
from piccolo.engine.base import Engine

from backend.applications import notices as applications_notices
from backend.auth.mailbox_access import IdentityMailboxAccess
from backend.auth.representations import STORE_NAME as REPRESENTATIONS_STORE
from backend.auth.representations import CachedRepresentations, from_enterprise_register
from backend.auth.service import Auth
from backend.catalogue.service import CatalogueService
from backend.dashboard import notices as dashboard_notices
from backend.dashboard.facade import Dashboard
from backend.dashboard.facts_source import DashboardFacts
from backend.eaddress import notices as eaddress_notices
from backend.eaddress.context import EAddress
from backend.events.registry import EventHandlers
from backend.graphql.schema import build_schema
from backend.lib import db
from backend.lib.store import Stores
from backend.lib.time import utcnow
from backend.notifications.runtime import NotificationRuntime
from backend.obligations import notices as obligations_notices
from backend.obligations.rates import load_rates
from backend.obligations.service import Obligations
from backend.settings import Settings
from integrations.registries.clients import RegistryClients


def event_handlers() -> EventHandlers:
    """What every producer's domain events become for the notification centre: each producer
    registers its own (`backend/<feature>/notices.py`); the consumer only reads this."""
    handlers = EventHandlers()
    for register in (
        eaddress_notices.register,
        dashboard_notices.register,
        obligations_notices.register,
        applications_notices.register,
    ):
        register(handlers)
    return handlers


@dataclass
class Services:
    settings: Settings
    engine: Engine[Any]
    stores: Stores
    schema: strawberry.Schema
    auth: Auth
    """Session cookies, sessions, the OpenID Connect client, company roles
    (backend/auth/service.py)."""
    registries: RegistryClients
    notifications: NotificationRuntime
    events: EventHandlers
    """Producers' domain events → notices (`backend.events.registry`)."""
    eaddress: EAddress
    obligations: Obligations
    """Rules' facts source, rates and clock (backend/obligations/service.py)."""
    dashboard: Dashboard
    """Registry facts, their cache, consent, versions (backend/dashboard/facade.py)."""
    catalogue: CatalogueService
    """The published service catalogue and its search (backend/catalogue/service.py)."""
    clock: Callable[[], datetime] = utcnow
    """The time that decides how fresh the dashboard's data is: a cached registry answer's age
    (`backend/dashboard/loader.py`), the loader's "today", a kept answer's end
    (`backend/graphql/answers/`). Tests move it instead of sleeping past a TTL."""

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        engine: Engine[Any] | None = None,
        registry_clock: Callable[[], float] = time.monotonic,
    ) -> Services:
        """Every client, unstarted, each façade built from its explicit dependencies (nothing
        is patched in afterwards). `clock` is `Services.clock`; `engine` shares an existing
        engine (tests' variant apps) instead of making one from the settings; `registry_clock`
        drives the registries' circuit breakers (tests move a fake one past a cooldown instead
        of sleeping)."""
        engine = engine or db.make_engine(settings.database)
        stores = Stores.from_settings(settings.store)
        registries = RegistryClients.from_settings(settings.registry, clock=registry_clock)
        representations = CachedRepresentations(
            from_enterprise_register(registries.enterprise_register),
            stores.store(REPRESENTATIONS_STORE),
            ttl_s=settings.auth.roles_ttl_s,
            last_known_s=settings.auth.roles_last_known_s,
            # A page waits for the register as long for roles as for its dashboard source.
            budget_s=settings.dashboard.policy("enterprise_register").budget_s,
        )
        dashboard = Dashboard(
            settings=settings.dashboard,
            registries=registries,
            stores=stores,
            representations=representations,
            engine=engine,
            clock=clock,
        )
        return cls(
            settings=settings,
            engine=engine,
            stores=stores,
            schema=build_schema(settings.graphql, introspection=settings.web.debug),
            auth=Auth.build(settings, stores, representations),
            registries=registries,
            notifications=NotificationRuntime.build(
                settings, stores.counters, stores.channels_backend
            ),
            events=event_handlers(),
            eaddress=EAddress.from_settings(
                settings, access=IdentityMailboxAccess(representations)
            ),
            obligations=Obligations(
                # The rules read registries through the dashboard (one cache, one access log).
                facts=DashboardFacts(dashboard),
                rates=load_rates(settings.obligations.rates_file),
            ),
            dashboard=dashboard,
            catalogue=CatalogueService.from_database(),
            clock=clock,
        )

    async def start(self) -> None:
        db.bind_engine(self.engine)
        await db.start_engine(self.engine, self.settings.database)

    async def close_clients(self) -> None:
        """Release every client but the database engine (which may be shared)."""
        await self.auth.close()
        await self.registries.aclose()
        await self.notifications.close()
        await self.stores.close()

    async def close(self) -> None:
        await self.close_clients()
        await db.stop_engine(self.engine)
