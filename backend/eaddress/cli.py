"""`vienuviet institution …`: registering and disabling institutions from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys

from backend.eaddress.institution_api.institutions import disable_institution, register_institution
from backend.lib import db
from backend.lib.errors import AppError
from backend.settings import Settings


async def _with_engine(settings: Settings, args: argparse.Namespace) -> int:
    engine = db.make_engine(settings.database)
    db.bind_engine(engine)
    await db.start_engine(engine, settings.database)
    try:
        if args.institution_command == "add":
            created = await register_institution(args.name, args.registration_number, args.scopes)
            print(f"institution: {created.name} ({created.id})")
            print(f"client_id:     {created.client_id}")
            print(f"client_secret: {created.client_secret}")
            print(f"scopes:        {' '.join(created.scopes)}")
            print("The secret is shown only now; store it in the institution's secret store.")
            return 0
        if await disable_institution(args.client_id):
            print("disabled; its tokens stop working on their next use")
            return 0
        print("vienuviet: no enabled institution with that client id", file=sys.stderr)
        return 1
    except AppError as exc:
        print(f"vienuviet: {exc.message}", file=sys.stderr)
        return 1
    finally:
        await db.stop_engine(engine)


def run_institution_command(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_with_engine(settings, args))
