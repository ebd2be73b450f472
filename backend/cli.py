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


def cmd_institution(args: argparse.Namespace, settings: Settings) -> int:
    from backend.eaddress.cli import run_institution_command

    return run_institution_command(args, settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    import importlib

    if not args.name.isidentifier():
        print(f"vienuviet: no benchmark named {args.name!r}", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(f"bench.{args.name}")
    except ModuleNotFoundError:
        print(
            f"vienuviet: no benchmark named {args.name!r} (bench/{args.name}.py)", file=sys.stderr
        )
        return 2
    result: int = module.main(settings, args.bench_args)
    return result


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
    institution = sub.add_parser("institution", help="manage institutions (e-address API clients)")
    inst_sub = institution.add_subparsers(dest="institution_command", required=True)
    add = inst_sub.add_parser("add", help="register one and print its credentials once")
    add.add_argument("name")
    add.add_argument("--registration-number", required=True)
    add.add_argument(
        "--scopes", nargs="+", default=["eaddress.send", "eaddress.read"], metavar="SCOPE"
    )
    disable = inst_sub.add_parser("disable", help="withdraw a client's access at once")
    disable.add_argument("client_id")
    bench = sub.add_parser("bench", help="run a benchmark from bench/NAME.py")
    bench.add_argument("name")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    return parser


HANDLERS: dict[str, Handler] = {
    "dev": cmd_dev,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "migrate": cmd_migrate,
    "seed": cmd_seed,
    "institution": cmd_institution,
    "bench": cmd_bench,
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
