"""The composition root: every long-lived client one process needs, built from settings.

Building `Services` does no I/O; `start()` opens pools and `close()` releases them. The web app
owns the services it builds; tests and jobs may build their own and hand them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from piccolo.engine.base import Engine

from backend.eaddress.context import EAddress
from backend.lib import db
from backend.lib.store import Stores
from backend.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine[Any]
    stores: Stores
    schema: strawberry.Schema
    eaddress: EAddress

    @classmethod
    def build(cls, settings: Settings) -> Services:
        from backend.graphql.schema import build_schema

        engine = db.make_engine(settings.database)
        return cls(
            settings=settings,
            engine=engine,
            stores=Stores.from_settings(settings.store),
            schema=build_schema(settings.graphql, introspection=settings.web.debug),
            eaddress=EAddress.from_settings(settings),
        )

    async def start(self) -> None:
        db.bind_engine(self.engine)
        await db.start_engine(self.engine, self.settings.database)

    async def close(self) -> None:
        await self.stores.close()
        await db.stop_engine(self.engine)
