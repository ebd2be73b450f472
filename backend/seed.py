"""`vienuviet seed`: demo data for the personas, idempotent (safe to run on every start).

Demo data belongs to development only: the command refuses to run without DEBUG.
"""

from __future__ import annotations

from backend.auth.seed import seed_delegations, seed_people
from backend.lib import db
from backend.settings import Settings


class SeedRefused(RuntimeError):
    pass


async def seed_demo_data(settings: Settings) -> None:
    """Load what each feature needs to show the personas' workspace."""
    if not settings.web.debug:
        raise SeedRefused("demo data is for development only (set DEBUG=1)")
    engine = db.make_engine(settings.database)
    db.bind_engine(engine)
    await db.start_engine(engine, settings.database)
    try:
        await seed_people(settings)
        await seed_delegations(settings)
    finally:
        await db.stop_engine(engine)
    print("seeded demo data")
