"""Web Push end to end against a strict push service on loopback: VAPID verified, payload
decrypted and compared; 410 pruning; 429 with Retry-After; bad subscriptions refused."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from backend.lib.db import transaction
from backend.lib.time import as_utc, utcnow
from backend.notifications.channels.webpush import InvalidSubscription, PushSender, Target
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.preferences.devices import (
    add_subscription,
    list_devices,
    remove_subscription,
)
from backend.notifications.render.messages import PayloadTooLarge, Rendered, push_payload
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, Outbox, PushSubscription
from backend.services import Services
from tests.integration.notifications.conftest import (
    People,
    add_device,
    drain,
    outbox_rows,
)
from tests.push_receiver import PushReceiver, Reply, derive_subscriber
from tests.raw_http import raw_server, read_request
from tests.servers import serve


async def _notify(
    rt: NotificationRuntime, person: object, kind: str, key: str, **params: str
) -> None:
    async with transaction(Outbox._meta.db):
        await enqueue(
            Notice(key, kind, f"person:{person}", params=params, link="/obligations"),
            [person],  # type: ignore[list-item]
            settings=rt.settings.notifications,
        )


async def test_push_arrives_signed_and_decrypts_to_exactly_what_was_sent(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    phone, laptop = receiver.subscribe(), receiver.subscribe()
    await add_device(person, phone, "Phone")
    await add_device(person, laptop, "Laptop")
    key = f"obligations.reminder:{person}"
    await _notify(
        rt, person, "obligations.reminder", key, title="Income declaration", due_on="2027-06-01"
    )

    await drain(rt)

    rows = {row["channel"]: row for row in await outbox_rows(person)}
    push_row = rows["push"]
    assert push_row["status"] == "sent"
    for device in (phone, laptop):
        (payload,) = receiver.payloads(device)
        assert payload is not None
        data = json.loads(payload)
        assert data == {
            "title": "Deadline approaching",
            "body": "Income declaration: due on 1 June 2027.",
            "url": f"{rt.public_url}/obligations",
            "tag": "obligations.reminder",
            "category": "obligations",
            "id": str(push_row["id"]),
        }
    arrived = [r for r in receiver.received if r.subscription in (phone.id, laptop.id)]
    assert {r.claims["aud"] for r in arrived} == {receiver.origin}
    for received in arrived:
        assert received.headers["ttl"] == str(rt.settings.push.ttl_s)
        assert received.headers["urgency"] == "normal"
        assert len(received.headers["topic"]) <= 32
    attempts = await Attempt.select().where(Attempt.outbox == push_row["id"]).run()
    assert sorted(a["outcome"] for a in attempts) == ["delivered", "delivered"]
    assert {a["status_code"] for a in attempts} == {201}
    devices = await list_devices(person)
    assert all(d.last_success_at is not None for d in devices)


async def test_a_push_answered_without_a_length_is_delivered_once(
    rt: NotificationRuntime, people: People
) -> None:
    """The push service answered 201 with a body that ends when it closes the connection
    (legal HTTP/1.1): that is a delivered push, never a retry that buzzes the device again."""
    bodies: list[bytes] = []

    async def push_service(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (request := await read_request(reader)) is not None:
            bodies.append(request[1])
            writer.write(b"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n\r\nqueued")
            await writer.drain()
            writer.close()

    person = await people.make()
    async with raw_server(push_service) as url:
        await add_device(person, derive_subscriber(url, b"no-length", 0))
        await _notify(
            rt, person, "obligations.reminder", f"k:{person}", title="VAT", due_on="2027-01-20"
        )
        await drain(rt)
        await drain(rt, now=utcnow() + timedelta(hours=6))  # any retry would be due by now
    assert len(bodies) == 1
    (push_row,) = [row for row in await outbox_rows(person) if row["channel"] == "push"]
    assert push_row["status"] == "sent"


async def test_vapid_header_is_cached_per_origin_and_never_leaks_an_audience(
    rt: NotificationRuntime, receiver: PushReceiver
) -> None:
    other = PushReceiver(rt.vapid_public_key)
    sender = PushSender(rt.settings.push, rt.vapid, policy=rt.push_policy)
    payload = b'{"title":"t"}'
    try:
        async with serve(other) as url:
            other.origin = url
            first, second, third = receiver.subscribe(), receiver.subscribe(), other.subscribe()
            for sub in (first, second, third):
                result = await sender.send(
                    Target(sub.id, sub.endpoint, sub.p256dh, sub.auth_b64),
                    payload,
                    ttl=60,
                    urgency="low",
                    topic=None,
                )
                assert result.outcome == "delivered", other.rejected
        # Two origins, two signatures: the second push service got its own `aud`, and the
        # first one's header was reused rather than signed again.
        assert sender.signatures == 2
        assert other.received[0].claims["aud"] == other.origin != receiver.origin
        assert receiver.payloads(first) == [payload]
        assert receiver.payloads(second) == [payload]
    finally:
        await sender.close()


async def test_a_gone_device_is_deleted_and_its_owner_told_elsewhere(
    rt: NotificationRuntime, receiver: PushReceiver, people: People, services: Services
) -> None:
    person = await people.make()
    gone, kept = receiver.subscribe(), receiver.subscribe()
    gone_id = await add_device(person, gone, "Old phone")
    await add_device(person, kept, "Laptop")
    receiver.script(gone, Reply(410))
    await _notify(
        rt, person, "obligations.reminder", f"k:{person}", title="VAT", due_on="2027-01-20"
    )

    await drain(rt)

    assert not await PushSubscription.exists().where(PushSubscription.id == gone_id).run()
    assert len(receiver.payloads(kept)) == 2  # the reminder, then "a channel stopped working"
    notice = json.loads(receiver.payloads(kept)[1] or b"{}")
    assert notice["title"] == "A notification channel stopped working"
    assert "Old phone" in notice["body"]
    kinds = {(row["kind"], row["channel"], row["status"]) for row in await outbox_rows(person)}
    assert ("account.channel_unhealthy", "inapp", "sent") in kinds
    attempts = await Attempt.select(Attempt.outcome, Attempt.status_code).where(
        Attempt.target_id == gone_id
    )
    assert attempts == [{"outcome": "gone", "status_code": 410}]


async def test_429_is_retried_no_sooner_than_retry_after_and_then_delivered(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    device = receiver.subscribe()
    await add_device(person, device)
    receiver.script(device, Reply(429, {"Retry-After": "120"}))
    await _notify(
        rt, person, "obligations.reminder", f"k:{person}", title="VAT", due_on="2027-01-20"
    )
    before = utcnow()

    await drain(rt)

    (push_row,) = [row for row in await outbox_rows(person) if row["channel"] == "push"]
    assert push_row["status"] == "pending"
    assert push_row["outcome"] == "HTTP429"
    assert as_utc(push_row["due_at"]) >= before + timedelta(seconds=120)
    assert receiver.payloads(device) == []

    await drain(rt, now=as_utc(push_row["due_at"]) + timedelta(seconds=1))

    (push_row,) = [row for row in await outbox_rows(person) if row["channel"] == "push"]
    assert push_row["status"] == "sent"
    assert push_row["attempts"] == 2
    assert len(receiver.payloads(device)) == 1


async def test_a_retry_does_not_buzz_the_devices_that_already_took_it(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    ok, busy = receiver.subscribe(), receiver.subscribe()
    await add_device(person, ok)
    await add_device(person, busy)
    receiver.script(busy, Reply(503))
    await _notify(
        rt, person, "obligations.reminder", f"k:{person}", title="VAT", due_on="2027-01-20"
    )
    await drain(rt)
    (push_row,) = [row for row in await outbox_rows(person) if row["channel"] == "push"]
    await drain(rt, now=as_utc(push_row["due_at"]) + timedelta(seconds=1))
    assert len(receiver.payloads(ok)) == 1
    assert len(receiver.payloads(busy)) == 1


def test_oversized_payloads_are_refused_not_truncated() -> None:
    big = Rendered(title="t", body="ā" * 2000, sms="", link="https://x.example/")
    with pytest.raises(PayloadTooLarge, match="at most 3072 bytes"):
        push_payload(big, notification_id="1", category="service_news", tag="t")


async def test_subscriptions_are_validated_with_clear_errors(
    rt: NotificationRuntime, receiver: PushReceiver, people: People, services: Services
) -> None:
    person = await people.make()
    sub = receiver.subscribe()
    good = {"endpoint": sub.endpoint, "p256dh": sub.p256dh, "auth": sub.auth_b64}
    fcm = "https://fcm.googleapis.com/fcm/send/x"
    cases = [
        (good, "must use https://"),
        ({**good, "endpoint": "ftp://push.example/x"}, "https:// URL"),
        ({**good, "endpoint": "https://10.0.0.1/x"}, "browser's push service"),
        ({**good, "endpoint": fcm, "p256dh": "AAAA"}, "p256dh"),
        ({**good, "endpoint": fcm, "auth": "AAAA"}, "16 bytes"),
    ]
    production = services.notifications.push_policy  # the app as configured
    for fields, says in cases:
        with pytest.raises(InvalidSubscription, match=says):
            await add_subscription(person, policy=production, **fields)
    # With loopback allowed (development, tests) the receiver is accepted; adding twice
    # refreshes, not duplicates.
    first = await add_subscription(
        person,
        endpoint=sub.endpoint,
        p256dh=sub.p256dh,
        auth=sub.auth_b64,
        policy=rt.push_policy,
        device_label="  Phone\n(Chrome) ",
    )
    again = await add_subscription(
        person, endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth_b64, policy=rt.push_policy
    )
    assert first.id == again.id
    assert first.label == "Phone (Chrome)"
    assert await remove_subscription(person, subscription_id=first.id)
    assert await list_devices(person) == []


async def test_endpoints_stored_under_another_policy_are_never_posted_to(
    rt: NotificationRuntime, receiver: PushReceiver, people: People, services: Services
) -> None:
    person = await people.make()
    device = receiver.subscribe()
    await add_device(person, device)
    production = replace(rt.settings, web=services.settings.web, push=services.settings.push)
    strict = NotificationRuntime.build(
        production, services.stores.counters, services.stores.channels_backend
    )
    try:
        await _notify(
            rt, person, "obligations.reminder", f"k:{person}", title="T", due_on="2027-01-01"
        )
        await drain(strict)
    finally:
        await strict.close()
    assert receiver.payloads(device) == []
    (push_row,) = [row for row in await outbox_rows(person) if row["channel"] == "push"]
    assert push_row["status"] == "failed"
    assert push_row["outcome"] == "EndpointNotAllowed"


async def test_vapid_public_key_route_serves_the_key_the_pushes_are_signed_with(
    http: httpx.AsyncClient, services: Services, rt: NotificationRuntime
) -> None:
    assert rt.vapid_public_key  # the development runtime created the key under VAR_DIR
    response = await http.get("/push/vapid-public-key")
    assert response.status_code == 200
    assert response.json() == {"publicKey": services.notifications.vapid_public_key}
    assert "max-age=3600" in response.headers["cache-control"]


async def test_topics_collapse_only_notices_that_supersede_each_other(
    rt: NotificationRuntime, receiver: PushReceiver, people: People
) -> None:
    person = await people.make()
    device = receiver.subscribe()
    await add_device(person, device)
    for n in range(2):
        await _notify(
            rt,
            person,
            "obligations.reminder",
            f"o:{person}:{n}",
            title=f"R{n}",
            due_on="2027-01-01",
        )
        await _notify(rt, person, "eaddress.message_received", f"m:{person}:{n}")
    await drain(rt)
    topics = {
        json.loads(r.payload or b"{}")["tag"] + str(n): r.headers["topic"]
        for n, r in enumerate(x for x in receiver.received if x.subscription == device.id)
    }
    reminder_topics = {t for k, t in topics.items() if k.startswith("obligations")}
    message_topics = {t for k, t in topics.items() if k.startswith("eaddress")}
    assert len(reminder_topics) == 2  # two deadlines: an offline phone must show both
    assert len(message_topics) == 1  # "a message is waiting" twice: the latest is enough
    received = [r for r in receiver.received if r.subscription == device.id]
    legal = [r for r in received if b"eaddress" in (r.payload or b"")]
    assert {r.headers["urgency"] for r in legal} == {"high"}
    assert {r.headers["ttl"] for r in legal} == {str(rt.settings.push.legal_ttl_s)}
