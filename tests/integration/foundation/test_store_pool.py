"""More concurrent store work than the process has Redis connections: it waits, nothing fails.

A dashboard request reads several cache entries at once, so a busy web process asks for far
more connections than its pool holds for a moment; redis-py's default pool raised
MaxConnectionsError there, which reached people as "Unexpected error". In the embedded mode the
same test holds for the in-process store.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

from backend.lib.store import Stores
from backend.settings import Settings


async def test_more_concurrent_reads_than_connections_all_succeed(settings: Settings) -> None:
    small_pool = dataclasses.replace(
        settings.store, max_connections=3, namespace=f"pool-test-{uuid.uuid4().hex[:8]}"
    )
    stores = Stores.from_settings(small_pool)
    try:
        store = stores.store("pool")
        await store.set("key", b"value", expires_in=60)
        answers = await asyncio.gather(*(store.get("key") for _ in range(300)))
        assert answers == [b"value"] * 300
        if stores.redis is not None:
            assert stores.redis.connection_pool.max_connections == 3
    finally:
        await stores.close()


def test_the_pool_size_and_wait_come_from_the_environment() -> None:
    from backend.settings import load_settings

    chosen = load_settings(
        {"REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_MAX_CONNECTIONS": "7",
         "REDIS_POOL_TIMEOUT_S": "1.5", "SECRET_KEY": "x" * 40, "DEBUG": "1"}
    )  # fmt: skip
    assert (chosen.store.max_connections, chosen.store.pool_timeout_s) == (7, 1.5)


async def test_several_stores_are_read_in_one_call_as_each_would_answer(
    settings: Settings,
) -> None:
    stores = Stores.from_settings(
        dataclasses.replace(settings.store, namespace=f"many-test-{uuid.uuid4().hex[:8]}")
    )
    try:
        await stores.store("sessions").set("a", "session record", expires_in=60)
        await stores.store("versions").set("person:1", b"\x00v1", expires_in=60)
        pairs = [("sessions", "a"), ("versions", "person:1"), ("sessions", "missing"), ("x", "a")]
        many = await stores.get_many(pairs)
        one_by_one = [await stores.store(name).get(key) for name, key in pairs]
        assert many == one_by_one == [b"session record", b"\x00v1", None, None]
    finally:
        await stores.close()
