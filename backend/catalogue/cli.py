"""`vienuviet catalogue …`: loading the reviewed files into the versioned records, and linking
an API client to the catalogue institution whose services it may publish."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.settings import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalogue = sub.add_parser("catalogue", help="the service catalogue: load files, publishers")
    commands = catalogue.add_subparsers(dest="catalogue_command", required=True)
    load = commands.add_parser(
        "load", help="load the reviewed content files (idempotent: unchanged files write nothing)"
    )
    load.add_argument(
        "--no-fillers",
        action="store_true",
        help="leave out the generated filler entries (they bring search to the portal's scale)",
    )
    link = commands.add_parser("link", help="let an API client publish one institution's services")
    link.add_argument("client_id", help="the client id printed by `vienuviet institution add`")
    link.add_argument("institution", help="the catalogue institution's id, e.g. pmlp")


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from backend.catalogue.files import ContentError, load_content
    from backend.catalogue.filler import fillers
    from backend.catalogue.publishers import link_publisher
    from backend.catalogue.store import load_catalogue
    from backend.lib import db
    from backend.lib.errors import AppError

    engine = db.make_engine(settings.database)
    db.bind_engine(engine)
    await db.start_engine(engine, settings.database)
    try:
        if args.catalogue_command == "load":
            catalogue = load_content()
            if not args.no_fillers:
                services, situations = fillers(
                    len(catalogue.services), len(catalogue.life_situations)
                )
                catalogue.services.update((s.id, s) for s in services)
                catalogue.life_situations.update((s.id, s) for s in situations)
            counts = await load_catalogue(catalogue, engine=engine)
            for kind in ("services", "life_situations", "institutions", "service_centres"):
                print(
                    f"{kind:16} added {counts.added[kind]:5}  changed {counts.changed[kind]:5}"
                    f"  unchanged {counts.unchanged[kind]:5}"
                )
            print(f"rows written: {counts.written}")
            return 0
        linked = await link_publisher(args.client_id, args.institution)
        print(f"client {args.client_id} may now publish the services of {linked}")
        return 0
    except ContentError as exc:
        print(f"vienuviet: invalid content: {exc}", file=sys.stderr)
        return 1
    except AppError as exc:
        print(f"vienuviet: {exc.message}", file=sys.stderr)
        return 1
    finally:
        await db.stop_engine(engine)


def run_catalogue_command(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(settings, args))
