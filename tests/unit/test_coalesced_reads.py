"""Coalesced MGETs (backend/lib/coalesce.py): calls made together share one command, and no
call is ever answered by a command sent before it was made."""

from __future__ import annotations

import asyncio

import pytest

from backend.lib.coalesce import CoalescedReads


class FakeRedis:
    """Records every MGET; replies when the test releases it."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.sent: list[list[str]] = []
        self.sending = asyncio.Event()
        self.release = asyncio.Event()
        self.fail: Exception | None = None

    async def mget(self, names: list[str]) -> list[bytes | None]:
        self.sent.append(names)
        self.sending.set()
        snapshot = dict(self.data)  # the state when the command reached the server
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        return [snapshot.get(name) for name in names]


async def test_calls_made_together_share_one_mget_and_each_gets_its_own_keys() -> None:
    redis = FakeRedis()
    redis.data = {"a": b"1", "b": b"2"}
    reads = CoalescedReads(redis.mget)
    calls = [
        asyncio.ensure_future(reads.get(["a", "b"])),
        asyncio.ensure_future(reads.get(["b", "c"])),
        asyncio.ensure_future(reads.get(["a"])),
    ]
    await asyncio.sleep(0)
    redis.release.set()
    assert await asyncio.gather(*calls) == [[b"1", b"2"], [b"2", None], [b"1"]]
    assert redis.sent == [["a", "b", "c"]]


async def test_a_call_made_while_an_mget_is_in_flight_waits_for_the_next_one() -> None:
    redis = FakeRedis()
    redis.data = {"session": b"live"}
    reads = CoalescedReads(redis.mget)
    early = asyncio.ensure_future(reads.get(["session"]))
    await redis.sending.wait()  # the first MGET is on its way, with the session live
    del redis.data["session"]  # logged out, before the second call is made
    late = asyncio.ensure_future(reads.get(["session"]))
    redis.release.set()
    assert await early == [b"live"]
    assert await late == [None]  # not the reply to the command sent before it asked
    assert redis.sent == [["session"], ["session"]]


async def test_a_failed_mget_fails_its_callers_and_the_next_batch_goes_on() -> None:
    redis = FakeRedis()
    redis.data = {"a": b"1"}
    redis.fail = ConnectionError("Redis went away")
    reads = CoalescedReads(redis.mget)
    failing = asyncio.ensure_future(reads.get(["a"]))
    await asyncio.sleep(0)
    redis.release.set()
    with pytest.raises(ConnectionError):
        await failing
    redis.fail = None
    assert await reads.get(["a"]) == [b"1"]


async def test_a_caller_giving_up_does_not_stop_the_others_in_its_batch() -> None:
    redis = FakeRedis()
    redis.data = {"a": b"1"}
    reads = CoalescedReads(redis.mget)
    impatient = asyncio.ensure_future(reads.get(["a"]))
    patient = asyncio.ensure_future(reads.get(["a"]))
    await asyncio.sleep(0)
    impatient.cancel()
    redis.release.set()
    assert await patient == [b"1"]
    assert impatient.cancelled()
