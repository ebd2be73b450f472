"""`vienuviet events retry ID…|--all`: put dead-lettered domain events back in the queue."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid

from backend.events.deadletter import retry
from backend.lib import db
from backend.settings import Settings


def _ids(values: list[str]) -> list[uuid.UUID] | None:
    try:
        return [uuid.UUID(value) for value in values]
    except ValueError:
        return None


async def _retry(settings: Settings, ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
    engine = db.make_engine(settings.database)
    db.bind_engine(engine)
    await db.start_engine(engine, settings.database)
    try:
        return await retry(ids)
    finally:
        await db.stop_engine(engine)


def run_events_command(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when every named event was requeued (or, with --all, any number were); 1 when
    some named id is not a dead letter; 2 for a usage error (nothing changed)."""
    if bool(args.ids) == bool(args.all):
        print("vienuviet events retry: give event ids or --all (not both)", file=sys.stderr)
        return 2
    ids = None if args.all else _ids(args.ids)
    if ids is None and not args.all:
        print("vienuviet events retry: that is not an event id (a UUID)", file=sys.stderr)
        return 2
    requeued = asyncio.run(_retry(settings, ids))
    print(f"requeued {len(requeued)} event(s); the worker consumes them on its next round")
    missing = [str(i) for i in ids or [] if i not in set(requeued)]
    for event_id in missing:
        print(f"vienuviet events retry: no dead-lettered event {event_id}", file=sys.stderr)
    return 1 if missing else 0
