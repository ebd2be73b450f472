"""One message that cannot be sent must fail alone: a batch that holds it delivers every other
message exactly once, and the poisoned one is recorded as failed — not replayed by the lease
sweeper forever, re-sending everything that went out with it.

Arrivals are counted where they land: the loopback push receiver, the loopback SMTP server and
the sandbox's SMS gateway.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.notifications.engine import outbox
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.preferences.choices import set_preference
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, Outbox, PushSubscription
from tests.integration.notifications.conftest import (
    MailServer,
    People,
    add_contact,
    add_device,
    drain,
    outbox_rows,
)
from tests.push_receiver import PushReceiver
from tests.sandbox_driver import Sandbox

RETIRED_KIND = "obligations.retired_kind"
"""A kind an earlier version queued and this one no longer knows (rows outlive deploys)."""


async def _sms_to(sandbox: Sandbox, number: str) -> int:
    response = await sandbox.admin.get("/admin/sms")
    response.raise_for_status()
    return len([m for m in response.json()["messages"] if m["to"] == number])


async def _queue_retired_kind(person: uuid.UUID, channel: str) -> uuid.UUID:
    row_id = uuid.uuid4()
    now = utcnow()
    await (
        Outbox(
            id=row_id,
            dedup_key=f"retired:{row_id}|{person}|{channel}",
            event_key=f"retired:{row_id}",
            person=person,
            subject_key=f"person:{person}",
            category="obligations",
            channel=channel,
            kind=RETIRED_KIND,
            params={},
            link="/obligations",
            language="en",
            due_at=now - timedelta(seconds=1),
            give_up_at=now + timedelta(days=2),
        )
        .save()
        .run()
    )
    return row_id


async def test_a_poisoned_batch_delivers_every_other_message_exactly_once(
    live: NotificationRuntime,
    receiver: PushReceiver,
    mailbox: MailServer,
    registry_sandbox: Sandbox,
    people: People,
) -> None:
    anna, peteris = await people.make(), await people.make()
    annas_phone, peteris_phone = receiver.subscribe(), receiver.subscribe()
    await add_device(anna, annas_phone)
    await add_device(peteris, peteris_phone, "Laptop")
    # Stored before hosts were checked at registration: the push client cannot even write it.
    poisoned = uuid.uuid4()
    await (
        PushSubscription(
            id=poisoned,
            person=peteris,
            endpoint="https://пример.рф/push/x",
            p256dh=peteris_phone.p256dh,
            auth=peteris_phone.auth_b64,
            device_label="Old tablet",
        )
        .save()
        .run()
    )
    email = f"anna.{uuid.uuid4().hex[:8]}@example.lv"
    number = f"+3712{uuid.uuid4().int % 10**7:07d}"
    await add_contact(anna, "email", email)
    await add_contact(anna, "phone", number)
    await set_preference(anna, f"person:{anna}", "eaddress", "sms", True)
    async with transaction(Outbox._meta.db):
        for person in (anna, peteris):
            notice = Notice(
                f"eaddress.message_received:{uuid.uuid4()}",
                "eaddress.message_received",
                f"person:{person}",
                link="/eaddress",
            )
            await enqueue(notice, [person], settings=live.settings.notifications)
    retired = {ch: await _queue_retired_kind(anna, ch) for ch in ("push", "email", "sms")}

    # Three lease periods of a worker: deliver what is due, then the sweeper runs.
    lease = timedelta(seconds=live.settings.notifications.lease_s + 1)
    now = utcnow()
    crashed: list[str] = []
    for _ in range(3):
        try:
            await drain(live, now=now)
        except Exception as exc:  # the worker's loop survives a failing batch, and so do we
            crashed.append(type(exc).__name__)
        now += lease
        await outbox.sweep(now=now)

    assert len(receiver.payloads(annas_phone)) == 1
    assert len(receiver.payloads(peteris_phone)) == 1
    assert len(mailbox.to(email)) == 1
    assert await _sms_to(registry_sandbox, number) == 1
    assert crashed == []

    rows = {row["id"]: row for row in await outbox_rows(anna)}
    for channel, row_id in retired.items():
        assert (rows[row_id]["status"], rows[row_id]["attempts"]) == ("failed", 1), channel
        assert rows[row_id]["outcome"] == "error:BadInput"
    sent = {r["channel"] for r in rows.values() if r["status"] == "sent"}
    assert sent == {"inapp", "push", "email", "sms"}
    (peteris_push,) = [r for r in await outbox_rows(peteris) if r["channel"] == "push"]
    assert peteris_push["status"] == "sent"
    outcomes = {
        str(a["target_id"]): a["outcome"]
        for a in await Attempt.select().where(Attempt.outbox == peteris_push["id"]).run()
    }
    assert outcomes[str(poisoned)] == "failed"
    assert list(outcomes.values()).count("delivered") == 1


async def test_a_row_for_a_channel_this_version_does_not_have_fails_alone(
    live: NotificationRuntime, people: People
) -> None:
    """The dispatcher sends through the row's `Channel`; a row naming none (an older or newer
    version's channel) ends failed on its own, and the rest of its batch is delivered."""
    anna = await people.make()
    unknown = await _queue_retired_kind(anna, "fax")
    inapp = await _queue_retired_kind(anna, "inapp")

    await drain(live)

    rows = {row["id"]: row for row in await outbox_rows(anna)}
    assert (rows[unknown]["status"], rows[unknown]["outcome"]) == ("failed", "unknown_channel")
    assert rows[inapp]["status"] == "sent"
