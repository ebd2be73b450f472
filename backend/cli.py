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

DEV_DEFAULTS = {"DEBUG": "1"}
"""What `make run` (`vienuviet dev`) and the other development commands choose unless the
environment or .env says otherwise."""


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    uvicorn.run(
        "backend.app:create_app_from_env",
        factory=True,
        host=args.host or settings.web.host,
        port=args.port or settings.web.port,
        workers=args.workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.web.forwarded_allow_ips,
        access_log=False,  # our own access log records route templates, never raw paths
        log_config=None,
        server_header=False,
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from backend.jobs import all_jobs
    from backend.services import Services
    from backend.worker import run_worker, tune_gc

    async def main() -> None:
        services = Services.build(settings)
        await services.start()
        tune_gc()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await run_worker(services, all_jobs(settings), stop)
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


def cmd_devstack(args: argparse.Namespace, settings: Settings) -> int:
    """`dev`, `seed`, `sandbox`, `idp` and `mailsink` run the development stack. This is the
    only place the product reaches it (integrations/devstack/cli.py), and only when one of
    these subcommands runs: production never loads it."""
    from integrations.devstack.cli import run_command

    return run_command(args, settings, main)


def cmd_vapid(args: argparse.Namespace, settings: Settings) -> int:
    """Create the VAPID key (unless VAPID_PRIVATE_KEY is set) and print the public key."""
    from backend.notifications.channels.vapid import key_path, load_vapid, public_key

    try:
        vapid = load_vapid(settings)
    except SettingsError as exc:
        print(f"vienuviet: {exc}", file=sys.stderr)
        return 2
    if not settings.push.vapid_private_key:
        print(f"private key: {key_path(settings)}", file=sys.stderr)
    print(public_key(vapid))
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from backend.events.deadletter import dead_letters, format_dead_letters
    from backend.lib import db
    from backend.notifications.report import format_report, undelivered

    async def main() -> str:
        engine = db.make_engine(settings.database)
        db.bind_engine(engine)
        await db.start_engine(engine, settings.database)
        try:
            if args.report == "dead-letters":
                return format_dead_letters(await dead_letters())
            return format_report(await undelivered(include_resolved=args.all))
        finally:
            await db.stop_engine(engine)

    print(asyncio.run(main()))
    return 0


def cmd_events(args: argparse.Namespace, settings: Settings) -> int:
    from backend.events.cli import run_events_command

    return run_events_command(args, settings)


def cmd_institution(args: argparse.Namespace, settings: Settings) -> int:
    from backend.eaddress.cli import run_institution_command

    return run_institution_command(args, settings)


def cmd_catalogue(args: argparse.Namespace, settings: Settings) -> int:
    from backend.catalogue.cli import run_catalogue_command

    return run_catalogue_command(args, settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """`vienuviet bench NAME [ARGS…]` runs `bench/NAME.py`'s `main(settings, args)`."""
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
    idp = sub.add_parser("idp", help="run the development OpenID Connect provider (DEBUG only)")
    idp.add_argument("--host", help="bind address (default: the host of OIDC_ISSUER)")
    idp.add_argument("--port", type=int, help="port (default: the port of OIDC_ISSUER)")
    sandbox = sub.add_parser("sandbox", help="run the registry sandbox (default :8100)")
    sandbox.add_argument("--host")
    sandbox.add_argument("--port", type=int)
    sandbox.add_argument("--no-latency", action="store_true", help="answer without delays")
    sandbox.add_argument("--today", help="pin the sandbox's today (YYYY-MM-DD)")
    sub.add_parser("vapid", help="create the Web Push (VAPID) key if missing; print the public key")
    mailsink = sub.add_parser("mailsink", help="development SMTP server saving mail to var/mail")
    mailsink.add_argument("--port", type=int, default=8025)
    report = sub.add_parser("report", help="operator reports")
    report.add_argument(
        "report",
        choices=["undelivered", "dead-letters"],
        help="undelivered: legal notices no channel carried; "
        "dead-letters: domain events their consumer gave up on",
    )
    report.add_argument("--all", action="store_true", help="undelivered: include resolved ones")
    events = sub.add_parser("events", help="domain events: retry dead letters")
    events_sub = events.add_subparsers(dest="events_command", required=True)
    retry = events_sub.add_parser("retry", help="put dead-lettered events back in the queue")
    retry.add_argument("ids", nargs="*", metavar="ID", help="event ids from the report")
    retry.add_argument("--all", action="store_true", help="every dead-lettered event")
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
    from backend.catalogue.cli import add_parser as add_catalogue_parser

    add_catalogue_parser(sub)
    bench = sub.add_parser("bench", help="run a benchmark from bench/NAME.py")
    bench.add_argument("name")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    return parser


HANDLERS: dict[str, Handler] = {
    "dev": cmd_devstack,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "migrate": cmd_migrate,
    "seed": cmd_devstack,
    "idp": cmd_devstack,
    "sandbox": cmd_devstack,
    "vapid": cmd_vapid,
    "mailsink": cmd_devstack,
    "report": cmd_report,
    "events": cmd_events,
    "institution": cmd_institution,
    "catalogue": cmd_catalogue,
    "bench": cmd_bench,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("dev", "sandbox", "bench"):  # development-only commands
        for key, value in DEV_DEFAULTS.items():  # unless the environment (or .env) says otherwise
            os.environ.setdefault(key, value)
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
