"""The outbox (events in the writer's transaction, consumed once) and the e-address jobs."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.eaddress.jobs import (
    ESCALATION,
    escalation_horizon,
    raise_unread_escalations,
    sweep_orphan_blobs,
)
from backend.eaddress.mailbox.access import OwnMailboxOnly
from backend.eaddress.mailbox.holder import open_message
from backend.eaddress.storage.blobs import LocalBlobStore
from backend.events.service import EventRecord, OutsideTransaction, consume_events, record_event
from backend.events.tables import DomainEvent
from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.services import Services
from tests.integration.eaddress.conftest import PDF, Api, Holder, message_json


async def test_events_are_only_written_inside_a_transaction(services: Services) -> None:
    with pytest.raises(OutsideTransaction):
        await record_event("test.happened", "company:40003123459", {"thing_id": "1"})
    dedup = f"test.happened:{uuid.uuid4()}"
    async with transaction(services.engine):
        assert await record_event("test.happened", "company:40003123459", {}, dedup_key=dedup)
        assert not await record_event("test.happened", "company:40003123459", {}, dedup_key=dedup)
    assert await DomainEvent.count().where(DomainEvent.dedup_key == dedup).run() == 1
    async with transaction(services.engine):
        for bad in ({"body": "x" * 200}, {"nested": {"a": 1}}, {"Bad-Key": "1"}):
            with pytest.raises(ValueError, match="payload"):
                await record_event("test.happened", "company:40003123459", bad)


async def test_a_received_message_event_carries_ids_only(api: Api, holder: Holder) -> None:
    sent = (await api.send(message_json(holder.recipient))).json()
    row = (
        await DomainEvent.select()
        .where(DomainEvent.dedup_key == f"eaddress.message_received:{sent['id']}")
        .first()
        .output(load_json=True)
        .run()
    )
    assert row is not None
    assert row["kind"] == "eaddress.message_received"
    assert row["subject_key"] == f"person:{holder.person_id}"
    assert set(row["payload"]) == {"message_id", "thread_id", "account_id", "institution_id"}
    assert row["payload"]["message_id"] == sent["id"]
    text = json.dumps(row["payload"])
    assert "Paziņojums" not in text
    assert holder.personal_code not in text


async def test_consumers_get_each_event_once_and_failed_events_come_back_after_backoff(
    services: Services,
) -> None:
    kind = f"test.consumed_{uuid.uuid4().hex[:8]}"
    async with transaction(services.engine):
        for i in range(3):
            await record_event(kind, "company:40003123459", {"n": i})
    seen: list[EventRecord] = []

    async def failing(event: EventRecord) -> None:
        raise RuntimeError("the channel is down")

    now = utcnow()
    assert await consume_events([kind], failing, consumer="test", now=now) == 0

    async def handler(event: EventRecord) -> None:
        seen.append(event)

    # Backing off: not offered again at once.
    assert await consume_events([kind], handler, consumer="test", now=now) == 0
    later = now + timedelta(hours=1)
    results = await asyncio.gather(
        *(consume_events([kind], handler, consumer="test", limit=2, now=later) for _ in range(3))
    )
    assert sum(results) == 3
    assert sorted(e.payload["n"] for e in seen) == [0, 1, 2]
    assert await consume_events([kind], handler, consumer="test", now=later) == 0


def test_escalation_horizon_counts_working_days() -> None:
    # Deemed on Monday 19 January 2026: the working day before is Saturday 17 (worked).
    assert escalation_horizon(date(2026, 1, 16), 1) == date(2026, 1, 17)
    assert escalation_horizon(date(2026, 1, 17), 1) == date(2026, 1, 19)
    assert escalation_horizon(date(2026, 1, 17), 0) == date(2026, 1, 17)
    assert escalation_horizon(date(2025, 12, 23), 1) == date(2025, 12, 29)


async def test_unread_messages_escalate_once_as_their_deemed_date_approaches(
    api: Api, holder: Holder, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sent on Monday 3 March 2031 → deemed delivered on Wednesday 5 March.
    monkeypatch.setattr(services.eaddress, "clock", lambda: datetime(2031, 3, 3, 9, tzinfo=UTC))
    ids = [(await api.send(message_json(holder.recipient))).json()["id"] for _ in range(3)]
    await open_message(holder.reader, OwnMailboxOnly(), uuid.UUID(ids[2]))

    async def escalations() -> dict[str, int]:
        keys = [f"{ESCALATION}:{i}" for i in ids]
        rows = (
            await DomainEvent.select(DomainEvent.dedup_key)
            .where(DomainEvent.dedup_key.is_in(keys))
            .output(as_list=True)
            .run()
        )
        return {i: rows.count(f"{ESCALATION}:{i}") for i in ids}

    await raise_unread_escalations(services, today=date(2031, 3, 3))
    assert await escalations() == {ids[0]: 0, ids[1]: 0, ids[2]: 0}
    # Tuesday 4 March is the working day before: two workers race, each message escalates once.
    await asyncio.gather(
        *(raise_unread_escalations(services, today=date(2031, 3, 4)) for _ in range(2))
    )
    assert await escalations() == {ids[0]: 1, ids[1]: 1, ids[2]: 0}
    await raise_unread_escalations(services, today=date(2031, 3, 5))
    assert await escalations() == {ids[0]: 1, ids[1]: 1, ids[2]: 0}
    row = (
        await DomainEvent.select(DomainEvent.payload, DomainEvent.subject_key)
        .where(DomainEvent.dedup_key == f"{ESCALATION}:{ids[0]}")
        .first()
        .output(load_json=True)
        .run()
    )
    assert row is not None
    assert row["payload"]["deemed_delivered_on"] == "2031-03-05"
    assert row["subject_key"] == f"person:{holder.person_id}"


async def test_orphaned_blobs_are_swept_after_a_day(
    api: Api, holder: Holder, services: Services
) -> None:
    store = services.eaddress.blobs
    assert isinstance(store, LocalBlobStore)
    orphan = await store.put(uuid.uuid4().bytes)
    content = PDF + uuid.uuid4().bytes
    sent = await api.send(
        message_json(holder.recipient),
        files=[("attachment", ("a.pdf", content, "application/pdf"))],
    )
    used = sent.json()["attachments"][0]["sha256"]
    fresh = await store.put(uuid.uuid4().bytes)
    old = time.time() - 2 * 24 * 3600
    for digest in (orphan.sha256, used):
        os.utime(store.path_for(digest), (old, old))
    await sweep_orphan_blobs(services)
    assert not await store.exists(orphan.sha256)
    assert await store.exists(used)
    assert await store.exists(fresh.sha256)
