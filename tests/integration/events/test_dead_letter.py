"""One bad domain event must not stall the others: attempts are counted per event, retried
with backoff, and after `EVENTS_MAX_ATTEMPTS` the event is dead-lettered, listed for
operators by `vienuviet report dead-letters` and put back by `vienuviet events retry`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest

from backend.events.service import EventRecord, consume_events, record_event
from backend.events.tables import DomainEvent
from backend.lib.db import transaction
from backend.lib.time import as_utc, utcnow
from backend.services import Services
from backend.settings import EventSettings, Settings

POLICY = EventSettings(max_attempts=3, backoff_base_s=60.0, backoff_cap_s=600.0, lease_s=300.0)
POISON_CODE = "010190-12345"  # a personal code in a payload must never reach the report


class PoisonedPayload(Exception):
    """What a handler raises for the one event it cannot handle."""


async def _record(kind: str, n: int, **extra: str) -> None:
    async with transaction(DomainEvent._meta.db):
        await record_event(kind, "company:40003123459", {"n": n, **extra})


async def _row(kind: str, n: int) -> dict[str, object]:
    rows = await DomainEvent.select().where(DomainEvent.kind == kind).output(load_json=True).run()
    (row,) = [r for r in rows if r["payload"]["n"] == n]
    return row


class Consumer:
    """A handler that fails on event n == `poisoned` until it is cured."""

    def __init__(self, poisoned: int) -> None:
        self.poisoned = poisoned
        self.cured = False
        self.seen: list[int] = []

    async def __call__(self, event: EventRecord) -> None:
        n = int(str(event.payload["n"]))
        if n == self.poisoned and not self.cured:
            raise PoisonedPayload("cannot handle " + str(event.payload))
        self.seen.append(n)


async def _consume(kind: str, consumer: Consumer, now: datetime) -> int:
    return await consume_events(
        [kind], consumer, consumer="test-consumer", settings=POLICY, now=now
    )


async def test_a_poisoned_event_is_dead_lettered_while_the_others_are_consumed(
    services: Services,
) -> None:
    kind = f"test.poisoned_{uuid.uuid4().hex[:8]}"
    for n in range(3):
        await _record(kind, n, code=POISON_CODE if n == 1 else "x")
    consumer = Consumer(poisoned=1)

    # The events before and after the bad one are consumed in the same batch.
    now = utcnow()
    assert await _consume(kind, consumer, now) == 2
    assert consumer.seen == [0, 2]
    row = await _row(kind, 1)
    assert row["consumed_at"] is None
    assert row["attempts"] == 1
    assert str(row["last_error"]).endswith("test_dead_letter.PoisonedPayload")
    assert row["consumer"] == "test-consumer"
    assert row["dead_at"] is None

    for attempt in (1, 2):
        # Exponential backoff with jitter: half the step fixed, half random.
        step = POLICY.backoff_base_s * 2 ** (attempt - 1)
        retry_at = as_utc(row["retry_at"])  # type: ignore[arg-type]
        assert now + timedelta(seconds=step / 2) <= retry_at <= now + timedelta(seconds=step)
        # Not offered before its time, while new events keep flowing past it.
        await _record(kind, 10 + attempt)
        assert await _consume(kind, consumer, retry_at - timedelta(seconds=1)) == 1
        assert consumer.seen[-1] == 10 + attempt
        now = retry_at
        assert await _consume(kind, consumer, now) == 0
        row = await _row(kind, 1)
        assert row["attempts"] == attempt + 1

    # The third failure was the last: dead-lettered, never offered again.
    assert row["dead_at"] is not None
    assert row["consumed_at"] is None
    assert await _consume(kind, consumer, now + timedelta(days=30)) == 0
    assert consumer.seen.count(1) == 0


async def test_a_crashed_consumer_counts_the_attempt_and_the_lease_gives_it_back(
    services: Services,
) -> None:
    kind = f"test.crashed_{uuid.uuid4().hex[:8]}"
    await _record(kind, 0)

    async def crash(event: EventRecord) -> None:
        raise asyncio.CancelledError  # the worker is stopped (or dies) mid-event

    now = utcnow()
    with pytest.raises(asyncio.CancelledError):
        await consume_events([kind], crash, consumer="test-consumer", settings=POLICY, now=now)
    consumer = Consumer(poisoned=-1)
    # Claimed by the dead worker until its lease ends, then offered again.
    assert await _consume(kind, consumer, now + timedelta(seconds=POLICY.lease_s - 1)) == 0
    assert await _consume(kind, consumer, now + timedelta(seconds=POLICY.lease_s + 1)) == 1
    row = await _row(kind, 0)
    assert row["attempts"] == 2
    assert row["consumed_at"] is not None


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database.url, "SECRET_KEY": "x" * 40}
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "backend.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def _dead_letter(kind: str, n: int) -> uuid.UUID:
    await _record(kind, n, code=POISON_CODE)
    consumer = Consumer(poisoned=n)
    now = utcnow()
    for _ in range(POLICY.max_attempts):
        await _consume(kind, consumer, now)
        now += timedelta(seconds=POLICY.backoff_cap_s)
    row = await _row(kind, n)
    assert row["dead_at"] is not None
    return uuid.UUID(str(row["id"]))


async def test_operators_see_dead_letters_without_payloads_and_retry_them(
    services: Services, settings: Settings
) -> None:
    kind = f"test.reported_{uuid.uuid4().hex[:8]}"
    first, second = await _dead_letter(kind, 1), await _dead_letter(kind, 2)

    report = await asyncio.to_thread(_cli, settings, "report", "dead-letters")
    assert report.returncode == 0, report.stderr
    lines = {ln.split()[0]: ln for ln in report.stdout.splitlines() if kind in ln}
    assert set(lines) == {str(first), str(second)}
    for line in lines.values():
        assert "test-consumer" in line
        assert "test_dead_letter.PoisonedPayload" in line
        assert f" {POLICY.max_attempts} " in line
    assert POISON_CODE not in report.stdout
    assert "cannot handle" not in report.stdout

    # One by id: back in the queue with a fresh budget, consumed once the handler is fixed.
    retried = await asyncio.to_thread(_cli, settings, "events", "retry", str(first))
    assert retried.returncode == 0, retried.stderr
    assert "1 event" in retried.stdout
    row = await _row(kind, 1)
    assert (row["dead_at"], row["retry_at"], row["attempts"]) == (None, None, 0)
    cured = Consumer(poisoned=-1)
    assert await _consume(kind, cured, utcnow()) == 1
    assert cured.seen == [1]
    report = await asyncio.to_thread(_cli, settings, "report", "dead-letters")
    assert str(first) not in report.stdout
    assert str(second) in report.stdout

    # All at once; unknown and malformed ids are clear errors that change nothing.
    unknown = await asyncio.to_thread(_cli, settings, "events", "retry", str(uuid.uuid4()))
    assert unknown.returncode == 1
    assert "no dead-lettered event" in unknown.stderr
    malformed = await asyncio.to_thread(_cli, settings, "events", "retry", "not-an-id")
    assert malformed.returncode == 2
    assert "not an event id" in malformed.stderr
    everything = await asyncio.to_thread(_cli, settings, "events", "retry", "--all")
    assert everything.returncode == 0, everything.stderr
    assert (await _row(kind, 2))["dead_at"] is None
    assert await _consume(kind, cured, utcnow()) == 1
    assert cured.seen == [1, 2]
