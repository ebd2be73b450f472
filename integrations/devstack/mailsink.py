"""`vienuviet mailsink`: a development SMTP server on 127.0.0.1:8025 that keeps every message
as an .eml file under VAR_DIR/mail (open them with any mail program). `vienuviet dev` starts
it while SMTP_URL is the default. It accepts everything and delivers nothing.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

log = logging.getLogger("vienuviet.mailsink")


class SaveToDirectory:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        path = self.directory / name
        path.write_bytes(envelope.original_content or envelope.content)
        log.info("mail sink saved %s", name)
        return "250 Saved"


def run_mailsink(directory: Path, host: str = "127.0.0.1", port: int = 8025) -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every peer
    controller = Controller(SaveToDirectory(directory), hostname=host, port=port)
    controller.start()
    print(f"mail sink on smtp://{host}:{port}, saving to {directory}", flush=True)
    stop = asyncio.Event()

    async def wait() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        controller.stop()
