"""Coalesced reads: concurrent `get_many` calls on Redis share one MGET (auto-pipelining).

Each Redis command costs the web process ~50-100 µs of CPU (a connection from the pool, the
command written, a wake-up when the reply arrives, its parsing) however many keys it names. A
busy process checking kept dashboard answers sends one MGET per request; coalesced, the requests
that arrive together share one. What each caller gets is exactly what its own MGET would have
returned, because a batch is sent only after every call in it was made: a call arriving while
an MGET is in flight waits for the next one, never for a reply to a command sent before it
asked (so it can never be answered with a state older than its own request).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

Send = Callable[[list[str]], Awaitable[Sequence[bytes | None]]]


class CoalescedReads:
    def __init__(self, send: Send) -> None:
        self._send = send
        self._pending: list[tuple[list[str], asyncio.Future[list[bytes | None]]]] = []
        self._sender: asyncio.Task[None] | None = None

    async def get(self, names: list[str]) -> list[bytes | None]:
        """The values of `names` (None: missing), read by an MGET sent after this call."""
        future: asyncio.Future[list[bytes | None]] = asyncio.get_running_loop().create_future()
        self._pending.append((names, future))
        if self._sender is None or self._sender.done():
            # Its own task: a caller that gives up (cancelled) must not stop the batch it is in.
            self._sender = asyncio.ensure_future(self._send_batches())
        return await future

    async def _send_batches(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            unique = list(dict.fromkeys(name for names, _ in batch for name in names))
            try:
                found = dict(zip(unique, await self._send(unique), strict=True))
            except Exception as exc:  # every caller of this batch sees its failure
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for names, future in batch:
                if not future.done():  # a caller may have been cancelled meanwhile
                    future.set_result([found[name] for name in names])
