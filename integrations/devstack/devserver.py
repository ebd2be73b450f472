"""`vienuviet dev`: every process of the product on embedded defaults, supervised together.

Local stand-ins (identity provider, registry sandbox, mail sink) start only while the settings
point at their default loopback addresses: `OIDC_ISSUER=https://… make run` uses that provider
and starts no development one.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backend.settings import DEFAULT_REGISTRY_URL, Settings
from integrations.devstack.dev_idp.settings import DEFAULT_ISSUER as DEV_IDP_ISSUER

DEFAULT_SMTP_URL = "smtp://127.0.0.1:8025"
"""Where `vienuviet mailsink` listens; `vienuviet dev` starts it only while SMTP_URL is this."""
STARTUP_TIMEOUT_S = 60


@dataclass(frozen=True)
class DevProcess:
    name: str
    args: tuple[str, ...]
    ready_url: str | None = None


def dev_processes(settings: Settings) -> list[DevProcess]:
    """Stand-ins first (the web app talks to them), then the app and its worker."""
    web = settings.web
    processes: list[DevProcess] = []
    if settings.email.smtp_url == DEFAULT_SMTP_URL:
        processes.append(DevProcess("mailsink", ("mailsink",)))
    if settings.oidc.issuer == DEV_IDP_ISSUER:
        discovery = f"{DEV_IDP_ISSUER}/.well-known/openid-configuration"
        processes.append(DevProcess("idp", ("idp",), discovery))
    if settings.registry.url == DEFAULT_REGISTRY_URL:
        processes.append(DevProcess("sandbox", ("sandbox",), f"{DEFAULT_REGISTRY_URL}/healthz"))
    processes += [
        DevProcess("web", ("serve",), f"http://{web.host}:{web.port}/healthz"),
        DevProcess("worker", ("worker",)),
    ]
    return processes


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback URL
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False


def _stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


def run_dev(settings: Settings, run_cli: Callable[[Sequence[str]], int]) -> int:
    """Prepare (`run_cli` is `vienuviet` itself: migrate, seed, catalogue load, vapid), then
    start and watch every process until Ctrl-C or one of them exits."""
    for step in (["migrate"], ["seed"], ["catalogue", "load"], ["vapid"]):
        if (code := run_cli(step)) != 0:
            return code
    procs: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        for spec in dev_processes(settings):
            procs[spec.name] = subprocess.Popen([sys.executable, "-m", "backend.cli", *spec.args])  # noqa: S603
            if spec.ready_url and not _wait_ready(spec.ready_url, procs[spec.name]):
                print(f"vienuviet dev: {spec.name} did not start", file=sys.stderr)
                return 1
        print(f"\nVienuviet is running: {settings.web.public_url}\n(Ctrl-C stops everything)\n")
        sys.stdout.flush()
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"vienuviet dev: {name} exited with {proc.returncode}", file=sys.stderr)
                    return proc.returncode or 1
            time.sleep(0.5)
        return 0
    finally:
        _stop_all(procs)
