"""Logging set-up. Log lines say what happened, never to whom: no personal codes, names,
e-mail addresses, tokens or registry payloads. Identify records by internal ids only."""

from __future__ import annotations

import logging
import sys


def configure_logging(*, debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("vienuviet").setLevel(logging.DEBUG if debug else logging.INFO)
    # Third-party loggers that would otherwise print request URLs or SQL with parameters.
    for noisy in ("httpx", "httpcore", "uvicorn.access", "asyncio", "piccolo"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
