"""A benchmark whose messages got lost must not report success: `vienuviet bench push`, run
small against its real push receiver, exits 0 when every push arrives and 1 when the receiver
loses some (it acknowledges them and forgets them, as a faulty push service would)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

SMALL = ["--subscriptions", "4", "--naive", "2", "--latency", "4", "--rate", "40"]
ONE_PROCESS = ["--processes", "1", "--no-tls"]


@asynccontextmanager
async def own_database(tmp_path: Path) -> AsyncIterator[str]:
    """A database for the benchmark alone (its delivery loops claim every pending row):
    a fresh SQLite file, or on PostgreSQL a database created beside the suite's."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    name = f"vv_bench_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def bench_push(database_url: str, var_dir: Path, **extra: str) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "DEBUG": "1",  # a VAPID key of its own under VAR_DIR
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "STORE_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}",
        **extra,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "backend.cli", "bench", "push", *SMALL, *ONE_PROCESS,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # its own process group: a timeout ends the receiver too
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(process.communicate(), 100)
    except TimeoutError:
        os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        raise
    return process.returncode or 0, out.decode(), err.decode()


async def test_bench_push_exits_non_zero_when_pushes_are_lost(tmp_path: Path) -> None:
    async with own_database(tmp_path) as url:
        code, out, err = await bench_push(url, tmp_path)
        assert code == 0, out + err
        assert "nothing lost" in out

        # 10 pushes in all (engine 4, naive loop 2, latency 4, in that order); the receiver
        # loses every third: one in each phase.
        code, out, err = await bench_push(url, tmp_path, PUSH_RECEIVER_LOSE_EVERY="3")
    assert code == 1, out + err
    assert "FAILED: 3 pushes lost" in err
    assert "1 NEVER ARRIVED" in out  # the latency phase says so instead of dropping it
