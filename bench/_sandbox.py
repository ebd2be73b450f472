"""The registry sandbox in a process of its own for benchmarks: the registries are remote
systems, so their CPU must not be the app's. `python -m bench._sandbox FD ADMIN_TOKEN` serves
on the listening socket inherited as file descriptor FD, with the default latencies."""

from __future__ import annotations

import sys

import uvicorn

from integrations.devstack.sandbox import SandboxSettings, create_sandbox_app
from integrations.devstack.sandbox.settings import DEFAULT_LATENCY_MS


def main(argv: list[str]) -> int:
    fd, admin_token = int(argv[0]), argv[1]
    app = create_sandbox_app(
        SandboxSettings(port=0, latency_ms=DEFAULT_LATENCY_MS, admin_token=admin_token)
    )
    uvicorn.run(
        app,
        fd=fd,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
