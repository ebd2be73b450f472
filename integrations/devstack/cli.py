"""The development subcommands of `vienuviet`: `dev`, `seed`, `sandbox`, `idp`, `mailsink`.

This module is the one seam between the product and its development stack: `backend/cli.py`
declares these subcommands' arguments (so `vienuviet --help` lists them) and hands them here,
importing this module only when one of them runs. Nothing else in backend/ or
integrations/registries imports integrations.devstack.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from backend.settings import Settings

RunCli = Callable[[Sequence[str]], int]
"""`backend.cli.main`: `vienuviet dev` runs `migrate`, `seed` and `vapid` through it."""

COMMANDS = ("dev", "seed", "sandbox", "idp", "mailsink")


def run_command(args: argparse.Namespace, settings: Settings, run_cli: RunCli) -> int:
    """Run the development subcommand `args.command` (one of `COMMANDS`)."""
    if args.command == "dev":
        from integrations.devstack.devserver import run_dev

        return run_dev(settings, run_cli)
    if args.command == "seed":
        return _seed(settings)
    if args.command == "sandbox":
        return _sandbox(args, settings)
    if args.command == "idp":
        return _idp(args, settings)
    if args.command == "mailsink":
        from integrations.devstack.mailsink import run_mailsink

        run_mailsink(settings.web.var_dir / "mail", port=args.port)
        return 0
    raise ValueError(f"not a development subcommand: {args.command}")


def _seed(settings: Settings) -> int:
    from integrations.devstack.seed.demo import SeedRefused, seed_demo_data

    try:
        asyncio.run(seed_demo_data(settings))
    except SeedRefused as exc:
        print(f"vienuviet seed: {exc}", file=sys.stderr)
        return 2
    return 0


def _sandbox(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from integrations.devstack.sandbox import SandboxSettings, create_sandbox_app
    from integrations.devstack.sandbox.settings import DEFAULT_LATENCY_MS, ZERO_LATENCY

    try:
        pinned = date.fromisoformat(args.today) if args.today else settings.devstack.sandbox_today
    except ValueError:
        print("vienuviet: --today must be YYYY-MM-DD", file=sys.stderr)
        return 2
    sandbox = SandboxSettings(
        host=args.host or "127.0.0.1",
        port=args.port or 8100,
        # It accepts exactly the credentials the app is configured to present.
        client_id=settings.registry.client_id,
        client_secret=settings.registry.client_secret,
        admin_token=settings.devstack.sandbox_admin_token,
        latency_ms=ZERO_LATENCY if args.no_latency else DEFAULT_LATENCY_MS,
        today=pinned,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_sandbox_app(sandbox),
            host=sandbox.host,
            port=sandbox.port,
            access_log=False,  # paths carry personal codes
            log_config=None,
            server_header=False,
            timeout_graceful_shutdown=5,  # hung requests (fault injection) must not block exit
        )
    )
    asyncio.run(_serve_and_play(server, settings))
    return 0


async def _serve_and_play(server: Any, settings: Settings) -> None:
    """The sandbox's registries, and the institutions deciding applications (once the seed
    gave them credentials) through the app's applications API."""
    from integrations.devstack.institutions import play_forever

    wait = timedelta(seconds=settings.devstack.sandbox_decide_after_s)
    player = asyncio.create_task(play_forever(settings, wait=wait))
    try:
        await server.serve()
    finally:
        player.cancel()


def _idp(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from integrations.devstack.dev_idp import DevIdPRefused, create_idp_app, dev_idp_settings

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
