"""The outbox engine on a real database: written with its cause, deduplicated, deferred by
quiet hours, retried and given up on, re-queued after a crash, and delivered exactly once
per channel by concurrent workers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from backend.auth.tables import AuditEvent
from backend.lib.db import transaction
from backend.lib.time import RIGA, as_utc, utcnow
from backend.notifications.engine import delivery, outbox
from backend.notifications.engine.delivery import worker_id
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.engine.outbox import OutsideTransaction
from backend.notifications.engine.wakeup import Wakeup
from backend.notifications.preferences.choices import update_choices
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, InAppNotification, Outbox, UndeliveredNotice
from tests.integration.notifications.conftest import (
    MailServer,
    People,
    add_contact,
    add_device,
    drain,
    outbox_rows,
)
from tests.push_receiver import PushReceiver, Reply


def mail_notice(person: uuid.UUID, key: str | None = None) -> Notice:
    return Notice(
        key or f"eaddress.message_received:{uuid.uuid4()}",
        "eaddress.message_received",
        f"person:{person}",
        link="/eaddress",
    )


async def test_enqueue_refuses_to_run_outside_the_causing_transaction(
    rt: NotificationRuntime, people: People
) -> None:
    person = await people.make()
    with pytest.raises(OutsideTransaction):
        await enqueue(mail_notice(person), [person], settings=rt.settings.notifications)
    assert await outbox_rows(person) == []


async def test_notices_commit_and_roll_back_with_their_cause(
    rt: NotificationRuntime, people: People
) -> None:
    person = await people.make()
    engine = Outbox._meta.db

    class CauseFailed(Exception):
        pass

    async def cause_that_fails() -> None:
        async with transaction(engine):
            await AuditEvent(subject_key="company:40003000001", action="test.cause").save().run()
            await enqueue(mail_notice(person), [person], settings=rt.settings.notifications)
            raise CauseFailed

    with pytest.raises(CauseFailed):
        await cause_that_fails()
    assert await outbox_rows(person) == []
    async with transaction(engine):
        await AuditEvent(subject_key="company:40003000001", action="test.cause").save().run()
        result = await enqueue(mail_notice(person), [person], settings=rt.settings.notifications)
    assert result.rows == 1  # in-app only: no contact, no device
    assert [row["channel"] for row in await outbox_rows(person)] == ["inapp"]


async def test_the_same_event_reaches_a_person_once_per_channel(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    device = receiver.subscribe()
    await add_device(person, device)
    notice = mail_notice(person)
    for _ in range(3):
        async with transaction(Outbox._meta.db):
            await enqueue(notice, [person, person], settings=rt.settings.notifications)
    assert sorted(row["channel"] for row in await outbox_rows(person)) == ["inapp", "push"]
    await drain(rt)
    assert len(receiver.payloads(device)) == 1
    assert await InAppNotification.count().where(InAppNotification.person == person).run() == 1


async def test_unverified_email_gets_nothing_and_the_legal_notice_is_reported(
    rt: NotificationRuntime, people: People, mailbox: MailServer
) -> None:
    person = await people.make()
    await add_contact(person, "email", f"{person}@example.lv", verified=False)
    notice = mail_notice(person)
    async with transaction(Outbox._meta.db):
        result = await enqueue(notice, [person], settings=rt.settings.notifications)
    assert result.undeliverable == 1
    assert [row["channel"] for row in await outbox_rows(person)] == ["inapp"]
    (record,) = await UndeliveredNotice.select().where(UndeliveredNotice.person == person).run()
    assert (record["event_key"], record["reason"]) == (notice.event_key, "contact_unverified")
    await drain(rt)
    assert mailbox.to(f"{person}@example.lv") == []


def next_riga(hour: int, minute: int) -> datetime:
    """The next moment it is hour:minute in Riga."""
    local = utcnow().astimezone(RIGA)
    moment = datetime.combine(local.date(), time(hour, minute), tzinfo=RIGA)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), time(hour, minute), tzinfo=RIGA)
    return moment.astimezone(UTC)


async def test_quiet_hours_hold_push_until_morning_unless_legal_bypass_is_allowed(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    night = next_riga(23, 30)
    morning = as_utc(
        datetime.combine(night.astimezone(RIGA).date() + timedelta(days=1), time(7, 0), tzinfo=RIGA)
    )
    sleeper, bypasser = await people.make(), await people.make()
    sleeper_phone, bypasser_phone = receiver.subscribe(), receiver.subscribe()
    await add_device(sleeper, sleeper_phone)
    await add_device(bypasser, bypasser_phone)
    await update_choices(bypasser, legal_bypass_quiet=True)
    notice = Notice(
        f"eaddress.message_received:{uuid.uuid4()}",
        "eaddress.message_received",
        "company:40003000001",
    )
    async with transaction(Outbox._meta.db):
        await enqueue(notice, [sleeper, bypasser], settings=rt.settings.notifications, now=night)

    (held,) = [r for r in await outbox_rows(sleeper) if r["channel"] == "push"]
    assert as_utc(held["due_at"]) == morning
    await drain(rt, now=night + timedelta(minutes=1))
    assert receiver.payloads(sleeper_phone) == []
    assert len(receiver.payloads(bypasser_phone)) == 1
    await drain(rt, now=morning - timedelta(seconds=1))
    assert receiver.payloads(sleeper_phone) == []
    await drain(rt, now=morning)
    assert len(receiver.payloads(sleeper_phone)) == 1


async def test_a_notice_that_keeps_failing_is_given_up_and_reported(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    device = receiver.subscribe()
    device_id = await add_device(person, device)
    receiver.script(device, *[Reply(500)] * 10)
    notice = mail_notice(person)
    async with transaction(Outbox._meta.db):
        await enqueue(notice, [person], settings=rt.settings.notifications)
    await drain(rt)
    (row,) = [r for r in await outbox_rows(person) if r["channel"] == "push"]
    assert (row["status"], row["outcome"]) == ("pending", "HTTP500")

    # The push service is still failing when the give-up window has passed.
    await drain(rt, now=as_utc(row["give_up_at"]) + timedelta(seconds=1))

    (row,) = [r for r in await outbox_rows(person) if r["channel"] == "push"]
    assert (row["status"], row["outcome"]) == ("failed", "gave_up:HTTP500")
    attempts = await Attempt.select(Attempt.outcome, Attempt.status_code).where(
        Attempt.outbox == row["id"]
    )
    assert attempts == [{"outcome": "retry", "status_code": 500}] * 2
    (record,) = await UndeliveredNotice.select().where(UndeliveredNotice.person == person).run()
    assert record["reason"] == "gave_up:HTTP500"
    assert record["event_key"] == notice.event_key
    assert device_id  # the device itself stays: a failing push service is not its fault


async def test_the_sweeper_requeues_a_crashed_workers_claim_and_fences_it_out(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    device = receiver.subscribe()
    await add_device(person, device)
    async with transaction(Outbox._meta.db):
        await enqueue(mail_notice(person), [person], settings=rt.settings.notifications)
    crashed = worker_id(99)
    claimed = await outbox.claim(crashed, limit=1000, lease_s=30)
    mine = [row for row in claimed if row.person == person]
    assert {row.channel for row in mine} == {"inapp", "push"}
    # The crashed worker never sends. Nobody else may take its rows while the lease holds.
    await drain(rt)
    await outbox.sweep()
    assert receiver.payloads(device) == []
    assert {r["status"] for r in await outbox_rows(person)} == {"sending"}

    requeued = await outbox.sweep(now=utcnow() + timedelta(seconds=31))
    assert requeued >= 2
    await drain(rt)
    # The crashed worker wakes up late: its finish is fenced off, nothing is sent twice.
    assert await outbox.mark_sent([row.id for row in mine], crashed, utcnow()) == []
    assert len(receiver.payloads(device)) == 1
    assert {r["status"] for r in await outbox_rows(person)} == {"sent"}


async def test_a_notice_whose_batches_never_finish_is_given_up_not_replayed_forever(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    """Every worker that takes the notice dies before recording it (killed mid-send, say).
    The sweeper re-queues it while there is time; past its give-up time it ends failed —
    and a legal notice is reported — instead of going out again with every batch."""
    person = await people.make()
    device = receiver.subscribe()
    await add_device(person, device)
    notice = mail_notice(person)
    async with transaction(Outbox._meta.db):
        await enqueue(notice, [person], settings=rt.settings.notifications)
    (push,) = [r for r in await outbox_rows(person) if r["channel"] == "push"]
    give_up_at = as_utc(push["give_up_at"])

    for crash_at in (give_up_at - timedelta(minutes=5), give_up_at - timedelta(seconds=10)):
        claimed = await outbox.claim(worker_id(99), limit=1000, lease_s=30, now=crash_at)
        assert {row.channel for row in claimed if row.person == person} >= {"push"}
        await delivery.sweep(now=crash_at + timedelta(seconds=31))

    rows = {row["channel"]: row for row in await outbox_rows(person)}
    assert (rows["push"]["status"], rows["push"]["attempts"]) == ("failed", 2)
    assert rows["push"]["outcome"] == "gave_up:lease_expired"
    assert rows["inapp"]["status"] == "pending"  # the in-app copy is only ever re-queued
    await drain(rt, now=give_up_at + timedelta(minutes=1))
    assert receiver.payloads(device) == []
    (record,) = await UndeliveredNotice.select().where(UndeliveredNotice.person == person).run()
    assert (record["event_key"], record["reason"]) == (notice.event_key, "gave_up:lease_expired")


async def test_two_workers_crash_in_between_and_every_notice_arrives_exactly_once(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    persons = [await people.make() for _ in range(12)]
    devices = {}
    for person in persons:
        devices[person] = receiver.subscribe()
        await add_device(person, devices[person])
    notices = [
        Notice(
            f"obligations.reminder:{uuid.uuid4()}",
            "obligations.reminder",
            "company:40003000002",
            {"title": f"Report {n}", "due_on": "2027-01-01"},
        )
        for n in range(3)
    ]
    for notice in notices:
        async with transaction(Outbox._meta.db):
            await enqueue(notice, persons, settings=rt.settings.notifications)
    # A worker claims some rows and dies before sending any of them.
    await outbox.claim(worker_id(77), limit=10, lease_s=30)
    # Two delivery loops at once; on PostgreSQL each claims on its own pooled connection.
    first, second = worker_id(1), worker_id(2)
    await asyncio.gather(drain(rt, worker=first), drain(rt, worker=second))
    await outbox.sweep(now=utcnow() + timedelta(seconds=31))
    await asyncio.gather(drain(rt, worker=first), drain(rt, worker=second))

    for person in persons:
        assert len(receiver.payloads(devices[person])) == len(notices)
        assert await InAppNotification.count().where(
            InAppNotification.person == person
        ).run() == len(notices)
        rows = await outbox_rows(person)
        assert len(rows) == 2 * len(notices)
        assert {r["status"] for r in rows} == {"sent"}
        bodies = [p for p in receiver.payloads(devices[person]) if p is not None]
        assert all(any(f"Report {n}".encode() in b for b in bodies) for n in range(3))


async def test_a_committed_notice_wakes_idle_workers_on_postgresql(
    rt: NotificationRuntime, people: People
) -> None:
    person = await people.make()
    wakeup = Wakeup(rt.settings.database)
    try:
        await wakeup.wait(0.01)  # opens the LISTEN connection (PostgreSQL)
        postgres = rt.settings.database.is_postgres
        waiting = asyncio.create_task(wakeup.wait(60 if postgres else 0.2))
        await asyncio.sleep(0)
        async with transaction(Outbox._meta.db):
            await enqueue(mail_notice(person), [person], settings=rt.settings.notifications)
        woken = await asyncio.wait_for(waiting, timeout=90)
    finally:
        await wakeup.close()
    # SQLite has no LISTEN: the loops poll (NOTIFY_POLL_INTERVAL_S) and `wait` times out.
    assert woken is rt.settings.database.is_postgres


async def test_a_rolled_back_notice_wakes_nobody(rt: NotificationRuntime, people: People) -> None:
    """Nothing is queued and no loop is woken (on SQLite the loops only ever poll)."""
    person = await people.make()
    wakeup = Wakeup(rt.settings.database)
    try:
        await wakeup.wait(0.01)

        async def rolled_back() -> None:
            async with transaction(Outbox._meta.db):
                await enqueue(mail_notice(person), [person], settings=rt.settings.notifications)
                raise LookupError

        with pytest.raises(LookupError):
            await rolled_back()
        assert await wakeup.wait(0.5) is False
        assert await outbox_rows(person) == []
    finally:
        await wakeup.close()
