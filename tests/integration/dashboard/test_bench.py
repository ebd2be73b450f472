"""`vienuviet bench NAME` dispatch, and the load generator the dashboard benchmark relies on."""

from __future__ import annotations

import argparse

from litestar import Litestar, get

from backend.cli import cmd_bench
from backend.settings import Settings
from bench._support import load
from tests.servers import serve


@get("/ok", sync_to_thread=False)
def ok() -> dict[str, str]:
    return {"status": "ok"}


def test_an_unknown_or_malformed_benchmark_name_is_refused(settings: Settings) -> None:
    for name in ("nosuch", "../dashboard", "Dashboard"):
        assert cmd_bench(argparse.Namespace(name=name, args=[]), settings) == 2


async def test_the_load_generator_counts_answers_and_failures() -> None:
    async with serve(Litestar([ok], logging_config=None)) as url:
        good = await load(f"{url}/ok", clients=2, seconds=0.3)
        bad = await load(f"{url}/missing", clients=2, seconds=0.3)
    assert good["requests"] > 0
    assert good["failed"] == 0
    assert good["p99_ms"] >= good["p50_ms"] > 0
    assert bad["requests"] > 0
    assert bad["failed"] == bad["requests"]  # 404s are failures
