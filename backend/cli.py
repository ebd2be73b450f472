"""The `vienuviet` command. Each subcommand reads settings once, from the environment."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence

from backend.lib.logging import configure_logging
from backend.settings import Settings, SettingsError, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    uvicorn.run(
        "backend.app:create_app_from_env",
        factory=True,
        host=args.host or settings.web.host,
        port=args.port or settings.web.port,
        workers=args.workers,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        access_log=False,  # our own access log records route templates, never raw paths
        log_config=None,
        server_header=False,
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from backend.jobs import all_jobs
    from backend.services import Services
    from backend.worker import run_worker

    async def main() -> None:
        services = Services.build(settings)
        await services.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await run_worker(services, all_jobs(), stop)
        finally:
            await services.close()

    asyncio.run(main())
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from backend.lib import db

    async def main() -> None:
        engine = db.make_engine(settings.database)
        await db.start_engine(engine, settings.database)
        try:
            await db.run_migrations(engine)
        finally:
            await db.stop_engine(engine)

    asyncio.run(main())
    print(f"migrated ({settings.mode.split('+')[0]})")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from backend.seed import seed_demo_data

    asyncio.run(seed_demo_data(settings))
    return 0


def cmd_dev(args: argparse.Namespace, settings: Settings) -> int:
    from backend.devserver import run_dev

    return run_dev(settings)


def cmd_idp(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from integrations.dev_idp import DevIdPRefused, create_idp_app, dev_idp_settings

    try:
        idp = dev_idp_settings(settings)
    except DevIdPRefused as exc:
        print(f"vienuviet idp: refused: {exc}", file=sys.stderr)
        return 2
    # Authlib logs issued tokens at DEBUG; they must never reach a log.
    logging.getLogger("authlib").setLevel(logging.WARNING)
    uvicorn.run(
        create_idp_app(idp),
        host=args.host or idp.host,
        port=args.port or idp.port,
        access_log=False,  # query strings carry codes and state
        log_config=None,
        server_header=False,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vienuviet", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("dev", help="run every process on embedded defaults (what `make run` does)")
    serve = sub.add_parser("serve", help="run the web app")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1, help="web processes (default 1)")
    sub.add_parser("worker", help="run background jobs: outbox delivery, reminders, sweeps")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("seed", help="load demo data for the personas (idempotent)")
    idp = sub.add_parser("idp", help="run the development OpenID Connect provider (DEBUG only)")
    idp.add_argument("--host", help="bind address (default: the host of OIDC_ISSUER)")
    idp.add_argument("--port", type=int, help="port (default: the port of OIDC_ISSUER)")
    return parser


HANDLERS: dict[str, Handler] = {
    "dev": cmd_dev,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "migrate": cmd_migrate,
    "seed": cmd_seed,
    "idp": cmd_idp,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "dev":
        from backend.devserver import apply_dev_defaults

        apply_dev_defaults()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"vienuviet: {exc}", file=sys.stderr)
        return 2
    configure_logging(debug=settings.web.debug)
    logging.getLogger("vienuviet").debug("running %s in %s mode", args.command, settings.mode)
    return HANDLERS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
