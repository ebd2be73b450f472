"""`vienuviet bench push`: the Web Push engine against a naive `pywebpush.webpush()` loop.

On one run, against one push receiver on 127.0.0.1 (a separate process: tests/push_receiver.py
— VAPID verified on every push, a sample of payloads decrypted and checked):
1. engine: N notifications to N subscriptions through the outbox — claim, encrypt, post over
   pooled keep-alive connections, record — messages per second from the first claim to the
   last record;
2. naive: the loop most code writes, `webpush(sub, data, vapid_private_key=…,
   vapid_claims={fresh dict})` one after another, over M subscriptions;
3. latency: L notifications enqueued at a steady rate while the worker loops run as in
   production (polling every NOTIFY_POLL_INTERVAL_S); enqueue commit → arrival at the
   receiver, p50/p99/max. (Measured from `enqueue`: the e-address "message accepted" event
   is not on this branch yet.)

Every phase waits until the receiver has every push or the outbox has settled (no row of the
phase pending or in flight), so a lost push ends the wait instead of stalling it. The run exits
non-zero if any push was lost (a subscription without its push), arrived twice, or was
rejected by the receiver (VAPID, headers, payload).

The rows and people it creates are deleted afterwards. Use a database of its own
(`DATABASE_URL=postgresql://…/vv_bench`); it migrates it first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import Faults, report_line

SEED_BYTES = 8


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vienuviet bench push")
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=1_000, help="pushes in the naive loop")
    parser.add_argument("--latency", type=int, default=1_000, help="pushes for the p99")
    parser.add_argument("--rate", type=float, default=200.0, help="latency phase, per second")
    parser.add_argument("--loops", type=int, default=4, help="delivery loops per process")
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="delivery processes (default: one per core on PostgreSQL, as `vienuviet worker` is "
        "deployed; 1 on SQLite, whose writers take turns)",
    )
    parser.add_argument("--decrypt-every", type=int, default=50)
    parser.add_argument(
        "--no-tls", action="store_true", help="plain http:// (real push services are https)"
    )
    return parser.parse_args(list(argv))


_CONTEXT: dict[str, Any] = {}


def _get_stats(url: str, path: str = "/stats") -> dict[str, Any]:
    context = _CONTEXT.get("ssl")
    with urllib.request.urlopen(f"{url}{path}", timeout=30, context=context) as response:  # noqa: S310
        stats: dict[str, Any] = json.loads(response.read())
    return stats


def rt_engine(rt: Any) -> Any:
    from backend.notifications.tables import Outbox

    return Outbox._meta.db


def _count(url: str) -> int:
    """Pushes verified so far (cheap: no arrival times)."""
    return int(_get_stats(url, "/count")["pushes"])


async def _settled(people: list[uuid.UUID]) -> bool:
    """Whether the engine is done with these people's notices: none pending or in flight."""
    from backend.notifications.tables import Outbox

    busy = await Outbox.count().where(
        Outbox.person.is_in(people), Outbox.status.is_in(["pending", "sending"])
    )
    return busy == 0


async def _wait_for_receiver(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError("the push receiver exited")
        with contextlib.suppress(OSError):
            await asyncio.to_thread(_get_stats, url)
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("the push receiver did not start")


def main(settings: Any, argv: Sequence[str]) -> int:
    from backend.notifications.channels.vapid import load_vapid, public_key
    from tests.servers import bound_socket

    args = _parse(argv)
    if args.processes is None:
        args.processes = (os.cpu_count() or 1) if settings.database.is_postgres else 1
    tls: list[str] = []
    if not args.no_tls:
        from bench.push_tls import client_context, make_certificate

        cert, key = make_certificate(Path(tempfile.mkdtemp(prefix="vv-bench-")))
        tls = [str(cert), str(key)]
        _CONTEXT["ssl"] = client_context(cert)
        _CONTEXT["cert"] = str(cert)
        os.environ["REQUESTS_CA_BUNDLE"] = str(cert)  # the naive loop (requests) trusts it too
    seed = secrets.token_hex(SEED_BYTES)
    total = args.subscriptions + args.naive + args.latency
    sock = bound_socket()
    port = sock.getsockname()[1]
    sock.close()
    receiver = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "tests.push_receiver",
            str(port),
            public_key(load_vapid(settings)),
            seed,
            str(total),
            str(args.decrypt_every),
            *tls,
        ],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        return asyncio.run(_run(args, settings, url, receiver, seed))
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)


async def _run(
    args: argparse.Namespace,
    base_settings: Any,
    url: str,
    receiver: subprocess.Popen[bytes],
    seed: str,
) -> int:
    from backend.lib import db
    from backend.services import Services
    from bench.push_setup import cleanup, loopback_settings, make_subscribers

    # Development mode for the engine: the receiver is on loopback.
    settings = loopback_settings(base_settings)
    services = Services.build(settings)
    await services.start()
    await db.run_migrations(services.engine)
    from backend.worker import tune_gc

    tune_gc()  # this process is the engine: run it as `vienuviet worker` does
    rt = services.notifications
    if "ssl" in _CONTEXT:  # trust the receiver's throw-away certificate
        from backend.notifications.channels.webpush import PushSender

        rt._push = PushSender(
            settings.push, rt.vapid, policy=rt.push_policy, ssl_context=_CONTEXT["ssl"]
        )
    total = args.subscriptions + args.naive + args.latency
    people: list[uuid.UUID] = []
    faults = Faults()
    try:
        await _wait_for_receiver(url, receiver)
        print(f"mode {settings.mode}; receiver {url}; {total} subscriptions", flush=True)
        people = await make_subscribers(url, seed.encode(), total)
        engine_rate = await _engine_phase(rt, people[: args.subscriptions], args, url, receiver.pid)
        first = args.subscriptions + args.naive
        naive_rate = await _naive_phase(rt, url, seed.encode(), range(args.subscriptions, first))
        latencies, missing = await _latency_phase(rt, people[first:], args, url, first)
        stats = await asyncio.to_thread(_get_stats, url)
    finally:
        if people:
            await cleanup(people)
        await services.close()
    _print(
        args,
        settings,
        engine_rate=engine_rate,
        naive_rate=naive_rate,
        latencies=latencies,
        missing=missing,
        stats=stats,
    )
    check_receiver(stats, total, faults)
    return faults.exit_code()


def check_receiver(stats: dict[str, Any], expected: int, faults: Faults) -> None:
    """Every subscription got exactly one push, and the receiver accepted each one."""
    faults.add(
        "pushes lost (subscriptions the receiver never heard from)", expected - stats["received"]
    )
    faults.add("pushes delivered more than once", stats["pushes"] - stats["received"])
    faults.add(
        f"pushes rejected by the receiver, e.g. {stats['rejected'][:3]}", stats["rejections"]
    )


def _print(
    args: argparse.Namespace,
    settings: Any,
    *,
    engine_rate: float,
    naive_rate: float,
    latencies: list[float],
    missing: int,
    stats: dict[str, Any],
) -> None:
    latencies = latencies or [float("nan")]  # nothing arrived: said below, fails the run
    p50 = statistics.median(latencies) * 1000
    # Inclusive: with few samples the exclusive method extrapolates beyond the maximum.
    p99 = (
        statistics.quantiles(latencies, n=100, method="inclusive")[98] * 1000
        if len(latencies) > 1
        else latencies[0] * 1000
    )
    worst = max(latencies) * 1000
    poll = settings.notifications.poll_interval_s
    print()
    print(report_line("engine", f"{engine_rate:,.0f} messages/s ({args.subscriptions:,})"))
    print(report_line("naive webpush() loop", f"{naive_rate:,.0f} messages/s ({args.naive:,})"))
    print(report_line("ratio", f"{engine_rate / naive_rate:.1f}x (goal >= 5x, >= 3,000/s)"))
    print(
        report_line(
            "enqueue -> arrival",
            f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {worst:.0f} ms "
            f"({len(latencies)} at {args.rate:.0f}/s; poll {poll}s)"
            + (f"; {missing} NEVER ARRIVED" if missing else ""),
        )
    )
    print(
        report_line(
            "receiver",
            f"{stats['pushes']:,} pushes verified, {stats['decrypted']:,} decrypted and checked, "
            f"{stats['rejections']} rejected",
        )
    )


async def _engine_phase(
    rt: Any, people: list[uuid.UUID], args: argparse.Namespace, url: str, receiver_pid: int
) -> float:
    """From the commit of N notices to the N-th push verified at the receiver, with
    `--loops` delivery loops here and in each of `--processes - 1` more processes."""
    from backend.notifications.engine.delivery import deliver_batch, worker_id
    from bench.push_cpu import CpuWindow, postgres_pids
    from bench.push_setup import enqueue_push_only

    extra = []
    for _ in range(args.processes - 1):
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.push_worker",
            str(args.loops),
            *([_CONTEXT["cert"]] if "cert" in _CONTEXT else []),
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.getcwd()},
        )
        assert proc.stdout is not None
        if (await proc.stdout.readline()).strip() != b"ready":
            raise RuntimeError("a delivery process did not start")
        extra.append(proc)
    before = await asyncio.to_thread(_count, url)
    target = before + len(people)
    done = asyncio.Event()

    async def deliver(n: int) -> None:
        worker = worker_id(n)
        while not done.is_set():
            if await deliver_batch(rt, worker) == 0:
                await rt.wakeup.wait(0.05)

    async def watch() -> None:
        # Done when every push arrived, or when the engine has finished with every row (a push
        # lost on the way must end the phase, not stall it); the count is read last.
        while not done.is_set():
            settled = await _settled(people)
            if await asyncio.to_thread(_count, url) >= target or settled:
                done.set()
            else:
                await rt.wakeup.wait(0.1)  # just a pause; nothing to be woken for here

    await enqueue_push_only(rt, people, tag="engine")
    # A table that grew from nothing a second ago has no statistics yet; in production
    # autovacuum keeps them current. Without this the claim sorts every pending row.
    await rt_engine(rt).run_ddl("ANALYZE")
    cpu = CpuWindow(
        {
            "engine": [os.getpid(), *(proc.pid for proc in extra)],
            "receiver": [receiver_pid],
            "postgres": postgres_pids(),
        }
    )
    cpu.start()
    started = time.perf_counter()
    try:
        await asyncio.wait_for(
            asyncio.gather(watch(), *(deliver(n) for n in range(args.loops))), timeout=600
        )
        elapsed = time.perf_counter() - started
        cpu.stop()
    finally:
        for proc in extra:
            proc.terminate()
            await proc.wait()
    per_message = {name: used / len(people) * 1e6 for name, used in cpu.used.items()}
    print(
        report_line(
            "CPU per message",
            f"engine {per_message['engine']:,.0f} us ({args.processes} process"
            f"{'es' if args.processes > 1 else ''}), receiver {per_message['receiver']:,.0f} us, "
            f"PostgreSQL {per_message['postgres']:,.0f} us; machine busy "
            f"{cpu.used['machine'] / elapsed:.2f} of {os.cpu_count()} cores",
        )
    )
    # Whether every push arrived is judged at the end, from the receiver's per-subscription
    # record (check_receiver): a count could hide a loss behind a duplicate.
    return len(people) / elapsed


async def _naive_phase(rt: Any, url: str, seed: bytes, indices: range) -> float:
    from pywebpush import webpush

    from tests.push_receiver import derive_subscriber

    subject = rt.settings.push.vapid_subject
    vapid = rt.vapid
    data = json.dumps({"title": "Deadline approaching", "body": "x" * 60, "url": url}).encode()
    subs = []
    for index in indices:
        sub = derive_subscriber(url, seed, index)
        subs.append(
            {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth_b64}}
        )

    def run() -> float:
        started = time.perf_counter()
        for info in subs:
            webpush(
                info,
                data.decode(),
                vapid_private_key=vapid,
                vapid_claims={"sub": subject},  # a fresh dict each time: the mutation trap
                timeout=10,
                ttl=60,
            )
        return len(subs) / (time.perf_counter() - started)

    return await asyncio.to_thread(run)


async def _latency_phase(
    rt: Any, people: list[uuid.UUID], args: argparse.Namespace, url: str, first_index: int
) -> tuple[list[float], int]:
    """Latencies of the pushes that arrived, and how many never did."""
    from backend.notifications.engine.delivery import deliver_batch, worker_id
    from bench.push_setup import enqueue_push_only

    stop = asyncio.Event()
    poll = rt.settings.notifications.poll_interval_s

    async def worker_loop(n: int) -> None:  # as `vienuviet worker` runs it
        worker = worker_id(100 + n)
        while not stop.is_set():
            if await deliver_batch(rt, worker) == 0:
                await rt.wakeup.wait(poll)

    loops = [
        asyncio.create_task(worker_loop(n)) for n in range(rt.settings.notifications.delivery_loops)
    ]
    sent_at: dict[str, float] = {}
    interval = 1.0 / args.rate
    started = time.perf_counter()
    for k, person in enumerate(people):
        await enqueue_push_only(rt, [person], tag=f"latency-{k}")
        sent_at[f"s{first_index + k:06d}"] = time.time()
        delay = started + (k + 1) * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    for _ in range(600):  # a minute at most, though settling ends it sooner
        settled = await _settled(people)
        stats = await asyncio.to_thread(_get_stats, url)
        if settled or all(key in stats["arrivals"] for key in sent_at):
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*loops)
    arrivals = stats["arrivals"]
    # A notice that never arrived has no latency: it is reported beside the percentiles it is
    # missing from (and fails the run: check_receiver).
    missing = sum(key not in arrivals for key in sent_at)
    return [max(0.0, arrivals[key] - at) for key, at in sent_at.items() if key in arrivals], missing
