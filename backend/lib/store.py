"""Store wiring: Redis when REDIS_URL is set, in-process otherwise — nothing else differs.

Three things live here:
- named key-value stores (Litestar's `RedisStore` / `MemoryStore`) for sessions and caches;
- atomic fixed-window counters for rate limits (Litestar's stores have no atomic increment);
- the channels backend (Litestar channels) for live updates to open pages.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from redis.asyncio import BlockingConnectionPool, Redis

from backend.lib.coalesce import CoalescedReads
from backend.settings import StoreSettings


class Counters(Protocol):
    """Fixed-window counters, atomic across every process sharing the store."""

    async def hit(self, key: str, window_s: int) -> tuple[int, int]:
        """Count one hit on `key`; return (hits in this window, seconds until it resets)."""
        ...

    async def reset(self, key: str) -> None: ...


@dataclass
class MemoryCounters:
    """In-process counters: correct for one process, which is all the embedded mode runs."""

    _windows: dict[str, tuple[int, float]] = field(default_factory=dict)

    async def hit(self, key: str, window_s: int) -> tuple[int, int]:
        now = time.monotonic()
        count, resets_at = self._windows.get(key, (0, now + window_s))
        if resets_at <= now:
            count, resets_at = 0, now + window_s
        count += 1
        self._windows[key] = (count, resets_at)
        if len(self._windows) > 100_000:  # bound memory under an attack with many keys
            self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        return count, max(1, int(resets_at - now))

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)


@dataclass
class RedisCounters:
    redis: Redis
    prefix: str

    async def hit(self, key: str, window_s: int) -> tuple[int, int]:
        name = f"{self.prefix}:rl:{key}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_s, nx=True)
            pipe.ttl(name)
            count, _, ttl = await pipe.execute()
        return int(count), max(1, int(ttl))

    async def reset(self, key: str) -> None:
        await self.redis.delete(f"{self.prefix}:rl:{key}")


async def _mget(redis: Redis, names: list[str]) -> list[bytes | None]:
    """One MGET on a pooled connection, without the client's layers (retries, hooks): half the
    CPU of `redis.mget` on this hot path. A failure is raised, as from the client; the broken
    connection is dropped, never handed back to the next caller."""
    pool = redis.connection_pool
    connection = await pool.get_connection()  # type: ignore[no-untyped-call]
    try:
        await connection.send_command("MGET", *names)
        values = await connection.read_response()
    except BaseException:
        await connection.disconnect()
        raise
    finally:
        await pool.release(connection)
    # No decode_responses on our client: Redis answers bytes, as the stores do.
    return [v.encode() if isinstance(v, str) else v for v in values]


@dataclass
class Stores:
    """Every store-backed facility of one process, built from `StoreSettings`."""

    settings: StoreSettings
    counters: Counters
    channels_backend: ChannelsBackend
    redis: Redis | None = None
    _named: dict[str, Store] = field(default_factory=dict)
    _reads: CoalescedReads | None = None
    """Redis only: concurrent get_many calls share MGETs."""

    @classmethod
    def from_settings(cls, settings: StoreSettings) -> Stores:
        if settings.redis_url:
            # A blocking pool: one dashboard request reads several cache entries at once, so 50
            # concurrent requests want hundreds of connections for a moment. redis-py's default
            # pool raises MaxConnectionsError past its limit (an "unexpected error" for the
            # person); this one makes the request wait for a free connection instead.
            pool = BlockingConnectionPool.from_url(
                settings.redis_url,
                max_connections=settings.max_connections,
                timeout=settings.pool_timeout_s,
                socket_connect_timeout=2,
                socket_timeout=5,
            )
            redis = Redis.from_pool(pool)
            return cls(
                settings=settings,
                counters=RedisCounters(redis, settings.namespace),
                channels_backend=RedisChannelsPubSubBackend(
                    redis=redis, key_prefix=f"{settings.namespace}_channels"
                ),
                redis=redis,
                _reads=CoalescedReads(partial(_mget, redis)),
            )
        return cls(
            settings=settings,
            counters=MemoryCounters(),
            channels_backend=MemoryChannelsBackend(),
        )

    def store(self, name: str) -> Store:
        """The key-value store for one concern (e.g. "sessions", "registry-cache")."""
        if name not in self._named:
            if self.redis is not None:
                self._named[name] = RedisStore(
                    self.redis, namespace=f"{self.settings.namespace}:{name}"
                )
            else:
                self._named[name] = MemoryStore()
        return self._named[name]

    async def get_many(self, keys: Sequence[tuple[str, str]]) -> list[bytes | None]:
        """Entries of named stores, as `(store name, key)` pairs, in one round trip: a single
        MGET on Redis (the fast path of kept GraphQL answers reads three at once), shared with
        the calls made at the same moment (`backend/lib/coalesce.py`)."""
        if self._reads is None:
            return [await self.store(name).get(key) for name, key in keys]
        # The names `store()` gives its RedisStores: "<namespace>:<store name>:<key>".
        prefix = self.settings.namespace
        return await self._reads.get([f"{prefix}:{name}:{key}" for name, key in keys])

    async def ping(self) -> None:
        """Raise if Redis is configured and does not answer."""
        if self.redis is not None:
            await self.redis.ping()

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
