"""`vienuviet seed`: demo data for the personas, idempotent (safe to run on every start)."""

from __future__ import annotations

from backend.settings import Settings


async def seed_demo_data(settings: Settings) -> None:
    """Load what each feature needs to show the personas' workspace; features add their part."""
    print("seeded demo data")
