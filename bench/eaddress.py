"""`vienuviet bench eaddress`: institution sends per second, and mailbox page latency.

1. Sending: the real app (uvicorn, `--workers` processes) on loopback against a throw-away
   PostgreSQL database; keep-alive connections POST messages with fresh Idempotency-Keys for
   `--duration` seconds (at most `--max-messages`). Printed next to a plain Litestar JSON
   endpoint served the same way and driven by the same client in the same run: only the ratio
   means much on a shared machine. Outbox rows are counted afterwards: one per message.
2. Listing: a mailbox of `--mailbox` messages, every page walked with keyset pagination
   through the service function the GraphQL layer calls; p50/p99 of one page fetch.

Everything runs against 127.0.0.1 and a database created for the run and dropped after it.
The run exits non-zero if any answer was wrong (a send not answered 2xx, a page walk that did
not see every message exactly once, a wrong unread count) or any message was lost (an accepted
message without its outbox event).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from litestar import Litestar, get, post

from backend.settings import Settings
from bench import Faults
from bench import eaddress_load as load


def plain_app() -> Litestar:
    """The baseline: a Litestar JSON endpoint doing no I/O."""

    @post("/plain", status_code=201)
    async def plain(data: dict[str, Any]) -> dict[str, Any]:
        return {"id": secrets.token_hex(16), "fields": len(data)}

    @get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar([plain, healthz])


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vienuviet bench eaddress")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per phase")
    parser.add_argument("--max-messages", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="web processes")
    parser.add_argument("--mailbox", type=int, default=10_000)
    return parser.parse_args(argv)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


async def _serve(target: str, port: int, workers: int, env: dict[str, str]) -> Any:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", target, "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--no-access-log",
        "--log-level", "warning", env=env,
    )  # fmt: skip
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(300):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return process
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"{target} did not start")


async def _stop(process: Any) -> None:
    process.terminate()
    await asyncio.wait_for(process.wait(), 30)


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.database.is_postgres:
        print(
            "bench eaddress measures PostgreSQL: set DATABASE_URL=postgresql://…", file=sys.stderr
        )
        return 2
    name = f"vienuviet_bench_{os.getpid()}"
    admin = await asyncpg.connect(_with_database(settings.database.url, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(settings.database.url, name)
    var_dir = Path(tempfile.mkdtemp(prefix="vienuviet-bench-"))
    try:
        return await _phases(settings, args, url, var_dir)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _phases(settings: Settings, args: argparse.Namespace, url: str, var_dir: Path) -> int:
    app_port, plain_port = load.free_port(), load.free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "PUBLIC_URL": f"http://127.0.0.1:{app_port}",
        "DEBUG": "",
    }
    if settings.store.redis_url:
        env["REDIS_URL"] = settings.store.redis_url
    fixture = await load.prepare(url, var_dir, public_url=env["PUBLIC_URL"])
    print(f"bench eaddress: {args.workers} web process(es), concurrency {args.concurrency}, "
          f"{args.duration:.0f} s per phase, PostgreSQL {fixture.server_version}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before")  # fmt: skip
    app = await _serve("backend.app:create_app_from_env", app_port, args.workers, env)
    plain = await _serve("bench.eaddress:plain_app", plain_port, args.workers, env)
    try:
        token = await load.token(app_port, fixture)
        baseline = await load.drive(
            plain_port, load.plain_request(plain_port), args.concurrency, args.duration,
            args.max_messages, server_pid=plain.pid,
        )  # fmt: skip
        sends = await load.drive(
            app_port, load.send_requests(app_port, token, fixture), args.concurrency,
            args.duration, args.max_messages, server_pid=app.pid,
        )  # fmt: skip
    finally:
        await _stop(app)
        await _stop(plain)
    outbox = await load.count_outbox(url)
    listing = await load.listing(url, var_dir, args.mailbox, env["PUBLIC_URL"])
    _report(baseline, sends, outbox, listing)
    return verdict(baseline, sends, outbox, listing).exit_code()


def verdict(baseline: load.Rate, sends: load.Rate, outbox: int, listing: load.Latencies) -> Faults:
    """What went wrong in a run: every count must be zero for its numbers to stand."""
    faults = Faults()
    faults.add("answers from the plain endpoint that were not 2xx", baseline.errors)
    faults.add("sends answered with an error (not 2xx)", sends.errors)
    faults.add("accepted messages without their outbox event (lost)", max(0, sends.ok - outbox))
    faults.add("outbox events without an accepted message", max(0, outbox - sends.ok))
    faults.add(
        "page walks that did not see every message exactly once",
        sum(walk != (listing.mailbox, listing.mailbox) for walk in listing.walks),
    )
    expected_unread = listing.mailbox - listing.mailbox // 2  # every other message was opened
    faults.add("wrong unread counts", int(listing.unread != expected_unread))
    return faults


def _report(baseline: load.Rate, sends: load.Rate, outbox: int, listing: load.Latencies) -> None:
    print()
    print(f"{'':34}{'requests':>9}{'errors':>7}{'per second':>12}{'web CPU/req':>13}")
    for label, rate in (
        ("plain Litestar JSON endpoint", baseline),
        ("POST /api/eaddress/v1/messages", sends),
    ):
        print(f"{label:34}{rate.ok:>9}{rate.errors:>7}{rate.per_second:>12.0f}"
              f"{rate.cpu_ms_per_request:>10.2f} ms")  # fmt: skip
    print(f"ratio sends / plain: {sends.per_second / max(baseline.per_second, 1):.2f}; "
          f"outbox rows: {outbox} for {sends.ok} accepted messages "
          f"({'ok' if outbox == sends.ok else 'MISMATCH'})")  # fmt: skip
    print()
    print(f"mailbox of {listing.mailbox} messages, pages of {listing.page_size}, "
          f"{len(listing.samples_ms)} page fetches: p50 {listing.p50:.2f} ms, "
          f"p99 {listing.p99:.2f} ms, max {listing.max:.2f} ms")  # fmt: skip
    print(f"search in that mailbox ({len(listing.search_ms)} queries): "
          f"p50 {listing.search_p50:.2f} ms, p99 {listing.search_p99:.2f} ms")  # fmt: skip
    print(f"unread count: p50 {listing.unread_p50:.2f} ms")


def main(settings: Settings, argv: list[str]) -> int:
    started = time.perf_counter()
    result = asyncio.run(_run(settings, _parse(argv)))
    print(f"\n(bench took {time.perf_counter() - started:.0f} s)")
    return result
