"""`vienuviet seed`: demo data for the personas, idempotent (safe to run on every start).

Demo data belongs to development only: the command refuses to run without DEBUG.
"""

from __future__ import annotations

from backend.eaddress.context import EAddress
from backend.lib import db
from backend.settings import Settings
from integrations.devstack.institutions import ensure_players
from integrations.devstack.seed.eaddress import seed_eaddress
from integrations.devstack.seed.people import seed_delegations, seed_people


class SeedRefused(RuntimeError):
    pass


async def seed_demo_data(settings: Settings) -> None:
    """Load what each feature needs to show the personas' workspace; features add their part."""
    if not settings.web.debug:
        raise SeedRefused("demo data is for development only (set DEBUG=1)")
    engine = db.make_engine(settings.database)
    db.bind_engine(engine)
    await db.start_engine(engine, settings.database)
    try:
        await seed_people(settings)
        await seed_delegations(settings)
        messages = await seed_eaddress(settings, EAddress.from_settings(settings).blobs)
        players = await ensure_players(settings)
    finally:
        await db.stop_engine(engine)
    print(
        f"seeded demo data (e-address: {messages} new messages; "
        f"{len(players)} institutions play the applications API)"
    )
