"""`vienuviet idp` as a real process: refuses outside development, keeps its keys over restarts."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx

from integrations.devstack.dev_idp.settings import SIGNING_KEYS_FILE
from tests.servers import bound_socket


def _free_port() -> int:
    sock = bound_socket()
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def _environment(var_dir: Path, port: int, **overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ENV_FILE": str(var_dir / "no.env"),  # a developer's .env must not leak in
        "VAR_DIR": str(var_dir),
        "OIDC_ISSUER": f"http://127.0.0.1:{port}",
        **overrides,
    }
    env.pop("DEBUG", None)
    env.update(overrides)
    return env


def test_idp_refuses_to_start_without_debug(tmp_path: Path) -> None:
    env = _environment(tmp_path, _free_port(), SECRET_KEY="s" * 40)
    result = subprocess.run(
        [sys.executable, "-m", "backend.cli", "idp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "development mode" in result.stderr
    assert "DEBUG=1" in result.stderr
    assert not (tmp_path / SIGNING_KEYS_FILE).exists(), "nothing may have started"


async def _serve_once(env: dict[str, str], issuer: str) -> str:
    """Start `vienuviet idp`, read its signing key id from the JWKS, stop it."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "backend.cli",
        "idp",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            for _ in range(300):
                if proc.returncode is not None:
                    break
                try:
                    meta = (await http.get(f"{issuer}/.well-known/openid-configuration")).json()
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("vienuviet idp did not start")
            assert proc.returncode is None, "vienuviet idp exited"
            assert meta["issuer"] == issuer
            jwks = (await http.get(meta["jwks_uri"])).json()
            return str(jwks["keys"][0]["kid"])
    finally:
        if proc.returncode is None:
            proc.terminate()
        _, stderr = await proc.communicate()
        assert b"Traceback" not in stderr, stderr.decode()


async def test_idp_serves_in_development_and_keeps_its_key_across_restarts(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = _environment(tmp_path, port, DEBUG="1")
    issuer = f"http://127.0.0.1:{port}"
    first = await _serve_once(env, issuer)
    key_file = tmp_path / SIGNING_KEYS_FILE
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o077 == 0, "the private key file is private"
    assert await _serve_once(env, issuer) == first
