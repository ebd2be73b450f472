"""`POST /push/subscriptions`, the contract service_worker/README.md gives the service worker
and pages: session or old endpoint, JSON only, same origin, 201/204/400/401/403/404/415."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import PushSubscription
from backend.services import Services
from backend.settings import Settings
from tests.auth_driver import login_as
from tests.idp_driver import RunningIdP
from tests.push_receiver import PushReceiver
from tests.sandbox_driver import Sandbox

UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"


def subscription(receiver: PushReceiver) -> dict[str, object]:
    """A subscription at the loopback push receiver (see `loopback_push`)."""
    device = receiver.subscribe()
    return {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth_b64}}


def fcm_subscription(receiver: PushReceiver) -> dict[str, object]:
    """A subscription at a push service of the production policy (never sent to here)."""
    device = receiver.subscribe()
    endpoint = f"https://fcm.googleapis.com/fcm/send/{secrets.token_urlsafe(16)}"
    return {"endpoint": endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth_b64}}


async def stored(endpoint: object) -> dict[str, object] | None:
    row: dict[str, object] | None = (
        await PushSubscription.select().where(PushSubscription.endpoint == endpoint).first().run()
    )
    return row


@pytest.fixture(scope="module")
async def zane(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        await login_as(client, "zane", "eparaksts")
        yield client


@pytest.fixture
async def loopback_push(
    services: Services, notify_settings: Settings
) -> AsyncIterator[NotificationRuntime]:
    """The app with the development policy the tests' push receiver needs (loopback allowed
    explicitly), for one test."""
    original = services.notifications
    runtime = NotificationRuntime.build(
        notify_settings, services.stores.counters, services.stores.channels_backend
    )
    services.notifications = runtime
    try:
        yield runtime
    finally:
        services.notifications = original
        await runtime.close()


async def test_a_logged_in_page_subscribes_and_a_repeat_changes_nothing(
    zane: httpx.AsyncClient,
    receiver: PushReceiver,
    services: Services,
    loopback_push: NotificationRuntime,
) -> None:
    body = subscription(receiver)
    origin = {"Origin": services.settings.web.origin, "User-Agent": UA}
    first = await zane.post("/push/subscriptions", json=body, headers=origin)
    assert first.status_code == 201, first.text  # no CSRF token: the path is excluded
    row = await stored(body["endpoint"])
    assert row is not None
    assert row["device_label"] == "Chrome · Android"
    again = await zane.post("/push/subscriptions", json=body, headers=origin)
    assert again.status_code == 204


async def test_bad_requests_are_refused_with_their_reason(
    zane: httpx.AsyncClient, http: httpx.AsyncClient, receiver: PushReceiver, services: Services
) -> None:
    body = fcm_subscription(receiver)  # the app's own, production policy
    bad_keys = {**body, "keys": {"p256dh": "AAAA", "auth": "AAAA"}}
    answer = await zane.post("/push/subscriptions", json=bad_keys)
    assert (answer.status_code, answer.json()["code"]) == (400, "invalid_subscription")
    insecure = {**body, "endpoint": "http://fcm.googleapis.com/fcm/send/x"}
    answer = await zane.post("/push/subscriptions", json=insecure)
    assert (answer.status_code, answer.json()["code"]) == (400, "insecure_endpoint")
    for elsewhere in ("https://push.example.com/x", "https://127.0.0.1:5432/x"):
        answer = await zane.post("/push/subscriptions", json={**body, "endpoint": elsewhere})
        assert (answer.status_code, answer.json()["code"]) == (400, "invalid_subscription")
    answer = await zane.post("/push/subscriptions", json={"endpoint": "https://push.example.com"})
    assert (answer.status_code, answer.json()["code"]) == (400, "invalid_body")
    answer = await zane.post(
        "/push/subscriptions", content=b"endpoint=x", headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 415
    cross = await zane.post(
        "/push/subscriptions", json=body, headers={"Origin": "https://evil.example"}
    )
    assert (cross.status_code, cross.json()["code"]) == (403, "cross_origin")
    anonymous = await http.post("/push/subscriptions", json=body)
    assert anonymous.status_code == 401
    unknown = await http.post(
        "/push/subscriptions", json={**body, "oldEndpoint": "https://fcm.googleapis.com/gone"}
    )
    assert unknown.status_code == 404
    assert await stored(body["endpoint"]) is None


async def test_a_renewed_subscription_replaces_the_old_one_without_a_session(
    zane: httpx.AsyncClient,
    http: httpx.AsyncClient,
    receiver: PushReceiver,
    loopback_push: NotificationRuntime,
) -> None:
    """`pushsubscriptionchange` often fires long after the session ended: the old endpoint
    with its auth secret (known only to that device and to us) moves the subscription."""
    old = subscription(receiver)
    answer = await zane.post("/push/subscriptions", json={**old, "label": "Zane's laptop"})
    assert answer.status_code == 201
    owner = (await stored(old["endpoint"]) or {})["person"]
    new = subscription(receiver)
    proof = {"oldEndpoint": old["endpoint"], "oldAuth": old["keys"]["auth"]}  # type: ignore[index]
    renewed = await http.post("/push/subscriptions", json={**new, **proof})
    assert renewed.status_code == 201
    assert await stored(old["endpoint"]) is None
    row = await stored(new["endpoint"])
    assert row is not None
    assert (row["person"], row["device_label"]) == (owner, "Zane's laptop")


async def test_an_endpoint_alone_moves_nobodys_subscription(
    zane: httpx.AsyncClient,
    base_url: str,
    http: httpx.AsyncClient,
    receiver: PushReceiver,
    loopback_push: NotificationRuntime,
) -> None:
    """Push services know endpoints; without the old auth secret (or the owner's session) a
    renewal is refused, also for another logged-in person, and Zane's device keeps its keys."""
    zanes = subscription(receiver)
    assert (await zane.post("/push/subscriptions", json=zanes)).status_code == 201
    before = await stored(zanes["endpoint"])
    attacker = subscription(receiver)
    for proof in ({}, {"oldAuth": "AAAAAAAAAAAAAAAAAAAAAA"}):
        answer = await http.post(
            "/push/subscriptions", json={**attacker, "oldEndpoint": zanes["endpoint"], **proof}
        )
        assert answer.status_code == 404
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as anna:
        await login_as(anna, "anna", "eparaksts")
        taken = await anna.post(
            "/push/subscriptions", json={**attacker, "oldEndpoint": zanes["endpoint"]}
        )
    assert taken.status_code == 201  # stored as Anna's own device, nothing moved
    assert await stored(zanes["endpoint"]) == before
    assert (await stored(attacker["endpoint"]) or {})["person"] != (before or {})["person"]


async def test_knowing_anothers_endpoint_takes_nothing_without_its_auth_secret(
    zane: httpx.AsyncClient,
    base_url: str,
    receiver: PushReceiver,
    loopback_push: NotificationRuntime,
) -> None:
    """Anna learns the endpoint of Zane's phone (push services, logs and proxies see them)
    and subscribes with it and keys of her own: refused, and Zane's phone stays his. The
    same browser used by Anna later holds the subscription's secret: that one moves."""
    phone = receiver.subscribe()
    zanes = {"endpoint": phone.endpoint, "keys": {"p256dh": phone.p256dh, "auth": phone.auth_b64}}
    assert (await zane.post("/push/subscriptions", json=zanes)).status_code == 201
    before = await stored(phone.endpoint)
    annas = receiver.subscribe()
    keys = {"p256dh": annas.p256dh, "auth": annas.auth_b64}
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as anna:
        await login_as(anna, "anna", "eparaksts")
        taken = await anna.post(
            "/push/subscriptions", json={"endpoint": phone.endpoint, "keys": keys}
        )
        assert taken.status_code == 403  # the defect: 201, and Zane's phone was Anna's
        assert taken.json()["code"] == "subscription_taken"
        assert await stored(phone.endpoint) == before
        shared_computer = await anna.post("/push/subscriptions", json=zanes)
        assert shared_computer.status_code == 201
    row = await stored(phone.endpoint)
    assert row is not None
    assert before is not None
    assert (row["id"], row["auth"]) == (before["id"], before["auth"])
    assert row["person"] != before["person"]
