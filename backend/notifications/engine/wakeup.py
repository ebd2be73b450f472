"""Waking idle delivery loops the moment a notice is committed, instead of at the next poll.

On PostgreSQL `enqueue` issues `NOTIFY vienuviet_outbox` inside the caller's transaction, so
the signal is sent if and only if the notice committed; each worker process keeps one
LISTEN connection and wakes its loops. Polling (NOTIFY_POLL_INTERVAL_S) remains the safety
net — for rows that become due later (quiet hours, retries), for SQLite, and for a LISTEN
connection that dropped (it is re-opened on the next wait).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from backend.settings import DatabaseSettings

CHANNEL = "vienuviet_outbox"
NOTIFY_SQL = "NOTIFY vienuviet_outbox"

log = logging.getLogger("vienuviet.notifications")


class Wakeup:
    def __init__(self, database: DatabaseSettings) -> None:
        self.dsn = database.url if database.is_postgres else None
        self._event: asyncio.Event | None = None
        self._connection: Any = None

    def _wake(self, *_: object) -> None:
        if self._event is not None:
            self._event.set()

    def _lost(self, *_: object) -> None:
        self._connection = None
        self._wake()  # look now, then listen again

    async def _listen(self) -> None:
        if self.dsn is None or self._connection is not None:
            return
        try:
            connection = await asyncpg.connect(self.dsn, timeout=5)
            await connection.add_listener(CHANNEL, self._wake)
            connection.add_termination_listener(self._lost)
            self._connection = connection
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            log.warning("outbox LISTEN unavailable (%s); polling only", type(exc).__name__)

    async def wait(self, seconds: float) -> bool:
        """Return when a notice was committed somewhere (True), or after `seconds` (False)."""
        if self._event is None:
            self._event = asyncio.Event()
        await self._listen()
        woken = False
        with contextlib.suppress(TimeoutError):
            woken = await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()
        return woken

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(Exception):
                await connection.close(timeout=5)
