"""What benchmarks share: apps served on loopback in this process, a logged-in browser
without the identity provider, the load generator in its own process, percentiles."""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn

from backend.auth.assurance import Level
from backend.auth.people import PersonRecord, get_person
from backend.auth.tables import Person
from backend.lib.time import riga_today
from backend.services import Services
from integrations.devstack.personas import persona


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the benchmark owns the process
        return None


def loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port in this event loop; yield its base URL."""
    sock = loopback_socket()
    config = uvicorn.Config(app, lifespan="on", log_config=None, access_log=False)
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        host, port = sock.getsockname()[:2]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@asynccontextmanager
async def sandbox_process(admin_token: str) -> AsyncIterator[str]:
    """The registry sandbox in a child process (bench._sandbox); yield its base URL."""
    sock = loopback_socket()
    sock.listen(512)
    host, port = sock.getsockname()[:2]
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench._sandbox",
        str(sock.fileno()),
        admin_token,
        pass_fds=(sock.fileno(),),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://{host}:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=2) as probe:
            for _ in range(200):
                try:
                    if (await probe.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if child.returncode is not None:
                    raise RuntimeError("the sandbox process exited")
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError("the sandbox process did not start")
        yield url
    finally:
        sock.close()
        if child.returncode is None:
            child.terminate()
            await asyncio.wait_for(child.wait(), timeout=10)


async def persona_person(issuer: str, slug: str) -> PersonRecord:
    """The persona as a person in the database (created as a first login would)."""
    who = persona(slug)
    row = await Person.select(Person.id).where(Person.personal_code == who.personal_code).first()
    if row is None:
        await Person.insert(
            Person(
                person_key=f"pc:{who.personal_code}",
                personal_code=who.personal_code,
                given_name=who.given_name,
                family_name=who.family_name,
                birth_date=who.born_on(riga_today()),
            )
        ).run()
        row = (
            await Person.select(Person.id).where(Person.personal_code == who.personal_code).first()
        )
    person = await get_person(row["id"])
    assert person is not None
    return person


async def session_cookie(services: Services, person: PersonRecord) -> tuple[str, str]:
    """(cookie name, session id) of a fresh high-assurance session for `person`."""
    epoch = await services.auth.sessions.current_epoch(str(person.id))
    session_id, _ = await services.auth.sessions.create(
        str(person.id), epoch, int(Level.HIGH), None
    )
    return services.auth.cookies.session, session_id


async def load(
    url: str,
    *,
    clients: int,
    seconds: float,
    method: str = "GET",
    body: str = "",
    headers: dict[str, str] | None = None,
    cookies: list[str] | None = None,
    paths: list[str] | None = None,
) -> dict[str, float]:
    """Run bench._load in a child process against `url` while this loop keeps serving; with
    `cookies`, client i sends the i-th `Cookie` header, with `paths` requests the i-th path
    (round robin)."""
    args = [sys.executable, "-m", "bench._load", url, "--method", method, "--body", body]
    args += ["--clients", str(clients), "--seconds", str(seconds)]
    for name, value in (headers or {}).items():
        args += ["--header", f"{name}: {value}"]
    for cookie in cookies or []:
        args += ["--cookie", cookie]
    for path in paths or []:
        args += ["--path", path]
    child = await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        out, err = await asyncio.wait_for(child.communicate(), timeout=seconds + 60)
    except TimeoutError:
        child.kill()
        raise
    if child.returncode != 0:
        raise RuntimeError(f"load generator failed: {err.decode()[-500:]}")
    result: dict[str, float] = json.loads(out)
    return result
