"""`vienuviet bench dashboard`: the personal dashboard against the registry sandbox, with
each baseline measured in the same run (only ratios measured together mean anything here).

1. Cold dashboard (cache emptied before each request), sandbox latencies 50-800 ms per source:
   p50/p99 against the slowest source (goal: p99 <= slowest + 50 ms), and against fetching the
   sources one after another (goal: >= 3x faster).
2. Warm dashboard (cached) at 50 concurrent clients against a plain Litestar JSON endpoint:
   requests/s and p99 (goals: ratio >= 0.25, p99 <= 25 ms). The load generator runs in its own
   process so the server keeps a core. The same dashboard is then asked with `subjectId` (which
   is never answered from a kept answer): the cost of executing it every time, for reference.
3. One source hung: p99 against that source's budget (goal: <= budget + 50 ms).

It exits non-zero if any answer was wrong: a dashboard with errors or a source not in the
state the phase expects, or a load request not answered 200 without errors.

Everything runs on 127.0.0.1 with bounded rounds and durations: the app and the baseline in
this process, the registry sandbox and the load generator in processes of their own. By
default on a temporary SQLite file and the in-process store; pass --database-url /
--redis-url to measure the production mode.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from litestar import Litestar, get

from backend.app import create_app
from backend.dashboard.cache import STORE_NAME, SourceCache
from backend.dashboard.loader import fetch_parts
from backend.dashboard.sources import PERSON_SOURCES
from backend.dashboard.versions import STORE_NAME as VERSIONS_STORE
from backend.dashboard.versions import SubjectVersions
from backend.lib import db
from backend.lib.time import riga_today
from backend.services import Services
from backend.settings import Settings, load_settings
from bench import Faults
from bench._support import (
    load,
    median,
    percentile,
    persona_person,
    sandbox_process,
    serve,
    session_cookie,
)
from integrations.devstack.sandbox.settings import DEFAULT_LATENCY_MS

ADMIN_TOKEN = secrets.token_urlsafe(16)
HUNG = "srs"
QUERY = """{ me { dashboard { ... on PersonDashboard {
  sources { name status asOf reason }
  declaredAddress { address declaredSince }
  declaredAtMyProperties { propertyAddress name personalCode declaredOn legalBasis }
  identityDocuments { type number validUntil }
  children { name birthDate }
  pension { balance fundManager investmentPlan valuationDate }
  familyDoctor { doctorName practiceName address phone }
  vehicles { plate technicalInspectionDue insuranceValidUntil }
  drivingLicence { categories validUntil }
  properties { address kind share manager { name phone } }
  taxAccount { balance currency }
  realEstateTax { year total instalments { dueDate amount paid } }
  incomeDeclaration { year status amountPayable amountRefundable }
  companies { role company { name } }
} } } }"""


def executed_query(subject_key: str) -> str:
    """QUERY naming the subject: the same work, but never answered from a kept answer."""
    return QUERY.replace("dashboard {", f'dashboard(subjectId: "{subject_key}") {{', 1)


@get("/plain", sync_to_thread=False)
def plain() -> dict[str, Any]:
    """The baseline: a plain Litestar JSON endpoint, no database, no store."""
    return {"status": "ok", "sources": ["population_register", "ssia", "nhs"], "n": 7}


def bench_settings(tmp: str, registry_url: str, args: argparse.Namespace) -> Settings:
    env = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "VAR_DIR": tmp,
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
        "STORE_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}",
        "REGISTRY_URL": registry_url,
        "PUBLIC_URL": "http://127.0.0.1:8000",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return load_settings(env)


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


class Bench:
    def __init__(self, services: Services, http: httpx.AsyncClient, subject_key: str, code: str):
        self.services = services
        self.http = http
        self.subject_key = subject_key
        self.code = code
        self.cache = SourceCache(services.stores.store(STORE_NAME), services.settings.dashboard)
        self.versions = SubjectVersions(services.stores.store(VERSIONS_STORE))
        self.failures = 0

    async def dashboard(self, expect: dict[str, str] | None = None) -> None:
        answer = await self.http.post("/graphql", json={"query": QUERY})
        body = answer.json()
        statuses = {s["name"]: s["status"] for s in body["data"]["me"]["dashboard"]["sources"]}
        wanted = {name.upper(): "OK" for name in PERSON_SOURCES} | (expect or {})
        if answer.status_code != 200 or "errors" in body or statuses != wanted:
            self.failures += 1

    async def empty_cache(self) -> None:
        """As if every source's answer had expired: kept GraphQL answers end with them."""
        for source in PERSON_SOURCES:
            await self.cache.purge(source, self.subject_key)
        await self.versions.bump(self.subject_key)

    async def cold(self, rounds: int, expect: dict[str, str] | None = None) -> list[float]:
        times = []
        for _ in range(rounds):
            await self.empty_cache()
            times.append(await timed(lambda: self.dashboard(expect)))
        return times

    async def calls_in_turn(self) -> None:
        clients, today = self.services.registries, riga_today()
        for spec in PERSON_SOURCES.values():
            for part in spec.parts:
                await part.fetch(clients, self.code, today)

    async def sources_in_turn(self) -> None:
        for spec in PERSON_SOURCES.values():
            await fetch_parts(spec, self.services, self.code, riga_today())


def line(label: str, times: list[float]) -> str:
    return f"{label:<52} p50 {median(times):7.0f} ms  p99 {percentile(times, 99):7.0f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


async def run(args: argparse.Namespace) -> int:
    # uvicorn's lifecycle messages would interleave with the figures.
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        async with sandbox_process(ADMIN_TOKEN) as registry_url:
            settings = bench_settings(tmp, registry_url, args)
            services = Services.build(settings)
            await services.start()
            try:
                await db.run_migrations(services.engine)
                return await measure(args, settings, services, registry_url)
            finally:
                await services.close()


async def measure(
    args: argparse.Namespace, settings: Settings, services: Services, registry_url: str
) -> int:
    anna = await persona_person(settings.oidc.issuer, "anna")
    cookie, session_id = await session_cookie(services, anna)
    latencies = {s: DEFAULT_LATENCY_MS[s] for s in PERSON_SOURCES}
    slowest = max(latencies.values())
    budget_ms = settings.dashboard.policy(HUNG).budget_s * 1000
    async with (
        serve(create_app(settings, services=services)) as url,
        serve(Litestar([plain], logging_config=None)) as plain_url,
        httpx.AsyncClient(base_url=url, timeout=30, cookies={cookie: session_id}) as http,
        httpx.AsyncClient(
            base_url=registry_url, headers={"authorization": f"Bearer {ADMIN_TOKEN}"}
        ) as admin,
    ):
        bench = Bench(services, http, anna.subject_key, anna.personal_code or "")
        await bench.cold(2)  # tokens, connection pools, the schema's caches
        cold = await bench.cold(args.rounds)
        calls = [await timed(bench.calls_in_turn) for _ in range(args.sequential_rounds)]
        in_turn = [await timed(bench.sources_in_turn) for _ in range(args.sequential_rounds)]

        await bench.dashboard()  # warm the cache
        # Every client is a session of its own (a kept answer is per session), as 50 people
        # would be; the load generator's first second builds and keeps their answers.
        sessions = [await session_cookie(services, anna) for _ in range(args.clients)]
        cookies = [f"{name}={value}" for name, value in sessions]
        for name, value in sessions:  # built, then kept: what a warm dashboard is
            for _ in range(2):
                await http.post("/graphql", json={"query": QUERY}, cookies={name: value})
        graphql_headers = {"Content-Type": "application/json"}
        body = json.dumps({"query": QUERY})
        base = await load(f"{plain_url}/plain", clients=args.clients, seconds=args.seconds)
        warm = await load(
            f"{url}/graphql",
            clients=args.clients,
            seconds=args.seconds,
            method="POST",
            body=body,
            headers=graphql_headers,
            cookies=cookies,
        )
        executed = await load(
            f"{url}/graphql",
            clients=args.clients,
            seconds=args.seconds,
            method="POST",
            body=json.dumps({"query": executed_query(anna.subject_key)}),
            headers=graphql_headers,
            cookies=cookies,
        )

        fault = await admin.put(f"/admin/faults/{HUNG}", json={"hang": True})
        fault.raise_for_status()
        hung = await bench.cold(args.hang_rounds, {HUNG.upper(): "UNAVAILABLE"})
        (await admin.post("/admin/reset")).raise_for_status()

    print(f"vienuviet bench dashboard — {settings.mode}, {os.cpu_count()} CPUs")
    print("source latencies (ms): " + ", ".join(f"{s} {ms}" for s, ms in latencies.items()))
    print(line(f"cold dashboard, cache emptied ({args.rounds} rounds)", cold))
    cold_ok = percentile(cold, 99) <= slowest + 50
    print(f"  goal p99 <= slowest source {slowest} + 50 ms: {verdict(cold_ok)}")
    print(line(f"every registry call in turn ({args.sequential_rounds} rounds)", calls))
    print(line(f"sources in turn, calls within one concurrent ({args.sequential_rounds})", in_turn))
    speedup, source_speedup = median(calls) / median(cold), median(in_turn) / median(cold)
    print(f"  dashboard vs calls in turn: {speedup:.2f}x (goal >= 3x: {verdict(speedup >= 3)})")
    ceiling = sum(latencies.values()) / slowest
    print(f"  dashboard vs sources in turn: {source_speedup:.2f}x (ceiling {ceiling:.2f}x)")
    for label, result in (
        ("plain Litestar JSON endpoint", base),
        ("warm dashboard", warm),
        ("warm dashboard, executed every time", executed),
    ):
        print(
            f"{label + f', {args.clients} clients, {args.seconds:.0f} s':<52} "
            f"{result['rps']:7.0f} req/s  p50 {result['p50_ms']:5.1f} ms  "
            f"p99 {result['p99_ms']:5.1f} ms  failed {result['failed']:.0f}"
        )
    print(f"  kept answers: {warm['kept'] / max(1, warm['requests']):.1%} of the warm dashboards")
    ratio = warm["rps"] / base["rps"]
    print(f"  ratio {ratio:.3f} (goal >= 0.25: {verdict(ratio >= 0.25)}); ", end="")
    print(f"p99 {warm['p99_ms']:.1f} ms (goal <= 25 ms: {verdict(warm['p99_ms'] <= 25)})")
    print(line(f"{HUNG} hung, budget {budget_ms:.0f} ms ({args.hang_rounds} rounds)", hung))
    hung_ok = percentile(hung, 99) <= budget_ms + 50
    print(f"  goal p99 <= budget + 50 ms: {verdict(hung_ok)}")
    print(f"  executed every time: ratio {executed['rps'] / base['rps']:.3f}")
    faults = Faults()
    faults.add("dashboards with errors or a source not in its expected state", bench.failures)
    for label, result in (("plain", base), ("warm", warm), ("executed", executed)):
        faults.add(f"{label} load requests not answered 200 or with errors", int(result["failed"]))
    return faults.exit_code()


def main(settings: object, argv: list[str]) -> int:
    """`vienuviet bench dashboard`: builds its own settings (a temporary database unless
    --database-url is given), so the caller's are not used."""
    del settings
    parser = argparse.ArgumentParser(prog="vienuviet bench dashboard", description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="cold dashboard requests")
    parser.add_argument("--sequential-rounds", type=int, default=5)
    parser.add_argument("--hang-rounds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0, help="each warm load run")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", help="default: the in-process store")
    args = parser.parse_args(argv)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover - uvicorn[standard] brings uvloop
        runner = asyncio.Runner()
    with runner:
        return runner.run(run(args))
