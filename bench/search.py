"""`vienuviet bench search`: the catalogue search endpoint side by side with a plain endpoint.

The catalogue is loaded into the database as `make run` does (the reviewed files plus the
fillers: 2,335 services and 120 life situations) and served by the real app
(`GET /api/catalogue/v1/search`), next to a plain Litestar JSON endpoint in the same process
as the baseline. Two phases, both endpoints measured in the same run:

1. Latency: sequential requests over one keep-alive connection, the queries drawn from the
   development evaluation set, half with a random typo (as `bench search_engine`); p50/p99.
2. Throughput: the load generator (its own process) with `--clients` connections, each
   client repeating its own query; requests/s and p99, and the ratios to the plain endpoint.

It exits non-zero when an answer was not 200 or a query found nothing it should have. By
default on a temporary SQLite file; `--database-url` measures on PostgreSQL (search itself
never touches the database: the index is in memory).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import sys
import tempfile
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
from litestar import Litestar, get

from backend.app import create_app
from backend.catalogue.files import load_content
from backend.catalogue.filler import fillers
from backend.catalogue.search.evaluation import load_queries
from backend.catalogue.store import load_catalogue
from backend.lib import db
from backend.services import Services
from backend.settings import Settings, load_settings
from bench._support import load, median, percentile, serve
from bench.search_engine import QUERIES, workload

GOAL_P99_MS = 20.0  # issue 16: per query over the full 2,335 + 120 entries
SEARCH = "/api/catalogue/v1/search"


@get("/plain", sync_to_thread=False)
def plain() -> dict[str, Any]:
    """The baseline: a plain Litestar JSON endpoint, no database, no store."""
    return {"results": []}


def bench_settings(tmp: str, args: argparse.Namespace) -> Settings:
    env = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "VAR_DIR": tmp,
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
        "STORE_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}",
        "PUBLIC_URL": "http://127.0.0.1:8000",
    }
    return load_settings(env)


async def sequential(http: httpx.AsyncClient, paths: list[str]) -> tuple[list[float], int, float]:
    """Milliseconds per request, how many answers were not 200, and the CPU milliseconds this
    process spent per request (server and client together: on a shared machine the wall time
    includes waiting for a core, the CPU time does not)."""
    times: list[float] = []
    failed = 0
    cpu_started = time.process_time()
    for path in paths:
        started = time.perf_counter()
        response = await http.get(path)
        times.append((time.perf_counter() - started) * 1000)
        failed += response.status_code != 200
    return times, failed, (time.process_time() - cpu_started) * 1000 / max(len(paths), 1)


async def measure(args: argparse.Namespace, services: Services) -> int:
    catalogue = load_content()
    extra_services, extra_situations = fillers(
        len(catalogue.services), len(catalogue.life_situations)
    )
    catalogue.services.update((s.id, s) for s in extra_services)
    catalogue.life_situations.update((s.id, s) for s in extra_situations)
    counts = await load_catalogue(catalogue, engine=services.engine)
    await services.catalogue.ensure_current()
    entries = services.catalogue.all_counts()
    print(
        f"catalogue in the database: {counts.written} rows written; served: "
        f"{entries['services']} services, {entries['life_situations']} life situations"
    )

    queries = load_queries(QUERIES)
    mix = workload(queries, args.queries, args.seed)
    search_paths = [f"{SEARCH}?{urlencode({'q': q, 'lang': lang, 'limit': 10})}" for q, lang in mix]
    async with (
        serve(create_app(services.settings, services=services)) as url,
        serve(Litestar([plain], logging_config=None)) as plain_url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
        httpx.AsyncClient(base_url=plain_url, timeout=30) as plain_http,
    ):
        empty = 0
        for q in queries[:20]:  # warm up, and check answers are there
            body = (await http.get(SEARCH, params={"q": q.q, "lang": q.lang})).json()
            empty += not body["results"]
        await sequential(plain_http, ["/plain"] * 200)
        base_times, base_failed, base_cpu = await sequential(
            plain_http, ["/plain"] * len(search_paths)
        )
        search_times, search_failed, search_cpu = await sequential(http, search_paths)

        clients = args.clients
        chosen = search_paths[:clients]
        base = await load(f"{plain_url}/plain", clients=clients, seconds=args.seconds)
        loaded = await load(f"{url}{SEARCH}", clients=clients, seconds=args.seconds, paths=chosen)

    print(f"\n1. sequential, one connection, {len(search_paths)} requests each "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")  # fmt: skip
    for label, times, cpu in (
        ("plain endpoint", base_times, base_cpu),
        ("search endpoint", search_times, search_cpu),
    ):
        print(f"  {label:<18} p50 {median(times):6.2f} ms  p99 {percentile(times, 99):6.2f} ms  "
              f"CPU {cpu:5.2f} ms per request")  # fmt: skip
    p99 = percentile(search_times, 99)
    ratio = p99 / max(percentile(base_times, 99), 1e-6)
    print(f"  search p99 / plain p99: {ratio:.1f}x; goal search p99 <= {GOAL_P99_MS:.0f} ms: "
          f"{'met' if p99 <= GOAL_P99_MS else 'NOT met'}")  # fmt: skip
    print(f"\n2. {clients} concurrent clients, {args.seconds:.0f} s each:")
    for label, result in (("plain endpoint", base), ("search endpoint", loaded)):
        print(f"  {label:<18} {result['rps']:8.0f} req/s  p50 {result['p50_ms']:6.1f} ms  "
              f"p99 {result['p99_ms']:6.1f} ms  failed {result['failed']:.0f}")  # fmt: skip
    print(f"  search/plain req/s: {loaded['rps'] / max(base['rps'], 1e-6):.2f}; "
          f"p99 ratio {loaded['p99_ms'] / max(base['p99_ms'], 1e-6):.1f}x")  # fmt: skip
    failures = base_failed + search_failed + int(loaded["failed"]) + int(base["failed"])
    if failures or empty:
        print(f"FAILED: {failures} answers not 200, {empty} queries without results",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


async def run(args: argparse.Namespace) -> int:
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.build(bench_settings(tmp, args))
        await services.start()
        try:
            await db.run_migrations(services.engine)
            return await measure(args, services)
        finally:
            await services.close()


def main(settings: object, argv: list[str]) -> int:
    del settings  # the benchmark builds its own, on a temporary database
    parser = argparse.ArgumentParser(prog="vienuviet bench search", description=__doc__)
    parser.add_argument("--queries", type=int, default=2000, help="sequential requests each")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    return asyncio.run(run(args))
