"""`vienuviet sandbox` serves the sandbox as its own process, accepting the app's credentials."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from integrations.registries.errors import RegistryError
from tests.sandbox_driver import registry_clients
from tests.servers import bound_socket

ANNA = "150385-11028"


def _free_port() -> int:
    sock = bound_socket()
    port = int(sock.getsockname()[1])
    sock.close()
    return port


async def test_sandbox_command_serves_the_registries(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "SANDBOX_ADMIN_TOKEN": "cli-admin",
        "REGISTRY_CLIENT_SECRET": "configured-secret",
    }
    args = ["sandbox", "--port", str(port), "--no-latency", "--today", "2026-11-27"]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "backend.cli",
        *args,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            for _ in range(300):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.returncode is None, "the sandbox exited"
                await asyncio.sleep(0.05)
            stats = await http.get("/admin/stats", headers={"authorization": "Bearer cli-admin"})
            assert stats.status_code == 200
        async with registry_clients(url, client_secret="configured-secret") as clients:
            assert await clients.nhs.family_doctor(ANNA) is not None
        async with registry_clients(url) as clients:  # the default secret is not configured
            with pytest.raises(RegistryError) as caught:
                await clients.nhs.family_doctor(ANNA)
            assert caught.value.reason == "unauthorized"
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 20)


def test_sandbox_command_refuses_a_bad_today(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backend.cli", "sandbox", "--today", "tomorrow"],
        env={**os.environ, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
