"""`vienuviet bench NAME` dispatch, and the load generator the dashboard benchmark relies on."""

from __future__ import annotations

import argparse

from litestar import Litestar, Request, Response, get

from backend.cli import cmd_bench
from backend.settings import Settings
from bench._support import load
from tests.servers import serve


@get("/ok", sync_to_thread=False)
def ok() -> dict[str, str]:
    return {"status": "ok"}


@get("/whose", sync_to_thread=False)
def whose(request: Request) -> Response[dict[str, str]]:
    """Kept (in Server-Timing's words) for the session "a" only; 403 without a session."""
    session = request.cookies.get("session")
    if session is None:
        return Response({"status": "no session"}, status_code=403)
    headers = {"Server-Timing": 'answer;desc="kept"'} if session == "a" else {}
    return Response({"session": session}, headers=headers)


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


async def test_each_client_sends_its_own_cookie_and_kept_answers_are_counted() -> None:
    async with serve(Litestar([whose], logging_config=None)) as url:
        one_each = await load(
            f"{url}/whose", clients=2, seconds=0.3, cookies=["session=a", "session=b"]
        )
        none = await load(f"{url}/whose", clients=2, seconds=0.3)
    assert one_each["failed"] == 0
    # The two clients take turns with the server: about half the answers are session a's.
    assert 0 < one_each["kept"] < one_each["requests"]
    assert none["kept"] == 0
    assert none["failed"] == none["requests"]
