"""Where pushes may go (SSRF): only the push services browsers use, and never to a private,
loopback or link-local address — judged when a subscription is stored and again, on the
address actually connected to, whenever a push is sent.

The production policy is the app's own (PUSH_ALLOWED_ORIGINS unset). Names are resolved by
the system resolver where a name resolves the same everywhere (`localhost`); a name that must
resolve to a chosen address (a private one, or first public and then private: DNS rebinding)
goes through `Zone`, a stand-in for DNS, because getaddrinfo cannot be pointed at a DNS
server on loopback.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, Outbox, PushSubscription
from backend.services import Services
from backend.settings import Settings, load_settings
from tests.auth_driver import graphql, login_as
from tests.conftest import base_environment
from tests.idp_driver import RunningIdP
from tests.integration.notifications.conftest import People, drain, outbox_rows
from tests.push_receiver import PushReceiver
from tests.sandbox_driver import Sandbox

ADD_DEVICE = """mutation($i: PushSubscriptionInput!) { addPushSubscription(input: $i) {
  __typename ... on PushDevice { id } ... on InvalidInput { code message } } }"""

REFUSED = [
    "https://2130706433/push/x",  # 127.0.0.1 as one decimal number
    "https://127.1/push/x",  # 127.0.0.1, the missing parts as zeros
    "https://0x7f.1:5432/push/x",  # hexadecimal, aimed at PostgreSQL
    "https://0177.0.0.1/push/x",  # octal
    "https://127.0.0.1/push/x",
    "https://[::1]/push/x",
    "https://[::ffff:127.0.0.1]/push/x",
    "https://10.0.0.1/push/x",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://localhost/push/x",
    "https://пример.рф/push/x",  # not a push service (and not even ASCII)
    "https://push.example.com/push/x",
    "https://fcm.googleapis.com.evil.example/fcm/send/x",
    "https://fcm.googleapis.com@evil.example/fcm/send/x",
    "https://fcm.googleapis.com:5432/fcm/send/x",
    "https://notify.windows.com/w/?token=x",  # the wildcard needs a sub-domain
    "https://evilnotify.windows.com/w/?token=x",
]


@dataclass
class Zone:
    """DNS as the test declares it: name → addresses; other names do not exist."""

    records: dict[str, list[str]]
    asked: list[str] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        try:
            return list(self.records[host])
        except KeyError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None


def production_settings(base: Settings, var_dir: Path, origins: str | None = None) -> Settings:
    """`base` outside development, PUSH_ALLOWED_ORIGINS as an operator would set it."""
    env = base_environment(var_dir, base.web.public_url)
    if origins is not None:
        env["PUSH_ALLOWED_ORIGINS"] = origins
    loaded = load_settings(env)
    return replace(base, web=replace(base.web, debug=False), push=loaded.push)


@asynccontextmanager
async def runtime_in_app(
    services: Services, settings: Settings, zone: Zone | None = None
) -> AsyncIterator[NotificationRuntime]:
    """The app's notification runtime replaced, for one test, by one with these settings."""
    original = services.notifications
    extra = {} if zone is None else {"resolve": zone}
    runtime = NotificationRuntime.build(
        settings, services.stores.counters, services.stores.channels_backend, **extra
    )
    services.notifications = runtime
    try:
        yield runtime
    finally:
        services.notifications = original
        await runtime.close()


@pytest.fixture(scope="module")
async def zane(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        await login_as(client, "zane", "eparaksts")
        yield client


async def _subscribe(
    client: httpx.AsyncClient, endpoint: str, receiver: PushReceiver
) -> tuple[httpx.Response, dict[str, object]]:
    keys = receiver.subscribe()
    rest = await client.post(
        "/push/subscriptions",
        json={"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64}},
    )
    variables = {"i": {"endpoint": endpoint, "p256dh": keys.p256dh, "auth": keys.auth_b64}}
    body = await graphql(client, ADD_DEVICE, variables)
    return rest, body["data"]["addPushSubscription"]  # type: ignore[index]


async def _stored(endpoint: str) -> bool:
    return bool(await PushSubscription.exists().where(PushSubscription.endpoint == endpoint).run())


async def test_only_the_browsers_push_services_are_accepted_in_production(
    zane: httpx.AsyncClient, receiver: PushReceiver
) -> None:
    messages = set()
    for endpoint in REFUSED:
        rest, gql = await _subscribe(zane, endpoint, receiver)
        assert rest.status_code == 400, (endpoint, rest.status_code)
        assert rest.json()["code"] == "invalid_subscription", endpoint
        assert (gql["__typename"], gql["code"]) == ("InvalidInput", "invalid_subscription")
        assert not await _stored(endpoint), endpoint
        messages |= {rest.json()["detail"], gql["message"]}
    rest, gql = await _subscribe(zane, "http://fcm.googleapis.com/fcm/send/x", receiver)
    assert (rest.status_code, rest.json()["code"]) == (400, "insecure_endpoint")
    assert gql["code"] == "insecure_endpoint"
    # One message for every refusal: which check said no (or what a name resolves to) is
    # nobody's business but the operator's.
    assert messages == {"The push endpoint must belong to a browser's push service."}


async def test_the_push_services_are_accepted_where_they_resolve_to_public_addresses(
    zane: httpx.AsyncClient, receiver: PushReceiver, services: Services, var_dir: Path
) -> None:
    public = ["142.250.74.10", "2a00:1450:4001:82a::200a"]
    zone = Zone(
        {
            "fcm.googleapis.com": public,
            "updates.push.services.mozilla.com": public,
            "web.push.apple.com": public,
            "db5p.notify.windows.com": public,
            "wns2-db5p.notify.windows.com": public,
        }
    )
    accepted = [
        f"https://fcm.googleapis.com/fcm/send/{uuid.uuid4().hex}",
        f"https://updates.push.services.mozilla.com/wpush/v2/{uuid.uuid4().hex}",
        f"https://web.push.apple.com/{uuid.uuid4().hex}",
        f"https://db5p.notify.windows.com/w/?token={uuid.uuid4().hex}",
        f"https://WNS2-DB5P.notify.windows.com:443/w/?token={uuid.uuid4().hex}",
    ]
    async with runtime_in_app(services, production_settings(services.settings, var_dir), zone):
        for endpoint in accepted:
            rest, _ = await _subscribe(zane, endpoint, receiver)
            assert rest.status_code == 201, (endpoint, rest.text)
    await (
        PushSubscription.delete()
        .where(PushSubscription.endpoint.is_in([e.lower().replace(":443", "") for e in accepted]))
        .run()
    )


async def test_a_host_in_another_script_is_stored_idna_encoded(
    zane: httpx.AsyncClient, receiver: PushReceiver, services: Services, var_dir: Path
) -> None:
    """Stored as it is sent: the push client never meets a host it cannot write."""
    zone = Zone({"push.xn--e1afmkfd.xn--p1ai": ["93.184.216.34"]})
    settings = production_settings(services.settings, var_dir, "https://*.xn--e1afmkfd.xn--p1ai")
    async with runtime_in_app(services, settings, zone):
        rest, gql = await _subscribe(zane, "https://push.Пример.рф/push/x", receiver)
    assert rest.status_code == 201, rest.text
    assert gql["__typename"] == "PushDevice"  # the same device again, through GraphQL
    assert await _stored("https://push.xn--e1afmkfd.xn--p1ai/push/x")
    await (
        PushSubscription.delete()
        .where(PushSubscription.endpoint == "https://push.xn--e1afmkfd.xn--p1ai/push/x")
        .run()
    )


async def test_names_that_resolve_to_private_addresses_are_refused_when_stored(
    zane: httpx.AsyncClient, receiver: PushReceiver, services: Services, var_dir: Path
) -> None:
    """An operator allowed a push service by a wildcard; names under it that resolve inside
    (or partly inside) our network are refused, as is `localhost` by the system resolver."""
    zone = Zone(
        {
            "a.push.example.net": ["10.1.2.3"],
            "b.push.example.net": ["169.254.169.254"],
            "c.push.example.net": ["fd00::1"],
            "d.push.example.net": ["192.0.2.80", "127.0.0.1"],
            "e.push.example.net": ["::ffff:192.168.1.1"],
            "f.push.example.net": ["100.64.0.1"],
        }
    )
    settings = production_settings(
        services.settings, var_dir, "https://*.push.example.net,https://localhost:*"
    )
    async with runtime_in_app(services, settings, zone):
        for name in zone.records:
            rest, gql = await _subscribe(zane, f"https://{name}/push/x", receiver)
            assert (rest.status_code, rest.json()["code"]) == (400, "invalid_subscription")
            assert gql["code"] == "invalid_subscription"
    async with runtime_in_app(services, settings):  # the system's resolver
        rest, gql = await _subscribe(zane, "https://localhost:8443/push/x", receiver)
        assert (rest.status_code, rest.json()["code"]) == (400, "invalid_subscription")
    assert zone.asked  # the names were looked up, not guessed from their spelling


@contextmanager
def listening() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP port on loopback that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    accepted: list[socket.socket] = []
    loop = asyncio.get_running_loop()

    def accept() -> None:
        with suppress(BlockingIOError):
            accepted.append(server.accept()[0])

    loop.add_reader(server.fileno(), accept)
    try:
        yield server.getsockname()[1], accepted
    finally:
        loop.remove_reader(server.fileno())
        for connection in accepted:
            connection.close()
        server.close()


async def _device_with_a_notice(
    rt: NotificationRuntime, person: uuid.UUID, endpoint: str, receiver: PushReceiver
) -> uuid.UUID:
    """A device stored while its name still resolved elsewhere, and a notice for it."""
    keys = receiver.subscribe()
    device = uuid.uuid4()
    await (
        PushSubscription(
            id=device, person=person, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth_b64
        )
        .save()
        .run()
    )
    notice = Notice(
        f"obligations.reminder:{uuid.uuid4()}",
        "obligations.reminder",
        f"person:{person}",
        params={"title": "VAT", "due_on": "2027-01-20"},
        link="/obligations",
    )
    async with transaction(Outbox._meta.db):
        await enqueue(notice, [person], settings=rt.settings.notifications)
    return device


async def _nothing_told(device: uuid.UUID) -> None:
    """What was (not) there stays unknown: no status, no success, no failure streak."""
    attempts = await Attempt.select().where(Attempt.target_id == device).run()
    assert [(a["outcome"], a["status_code"], a["error_class"]) for a in attempts] == [
        ("retry", None, "ForbiddenAddress")
    ]
    row = await PushSubscription.select().where(PushSubscription.id == device).first().run()
    assert row is not None
    assert (row["last_success_at"], row["failures"], row["unhealthy_since"]) == (None, 0, None)


async def test_a_name_resolving_to_loopback_gets_no_connection_when_sending(
    rt: NotificationRuntime, people: People, receiver: PushReceiver, var_dir: Path
) -> None:
    person = await people.make()
    settings = production_settings(rt.settings, var_dir, "https://localhost:*")
    strict = NotificationRuntime.build(settings, rt.counters, rt.channels_backend)
    try:
        with listening() as (port, connections):
            device = await _device_with_a_notice(
                rt, person, f"https://localhost:{port}/push/x", receiver
            )
            await drain(strict)
            await asyncio.sleep(0)  # a connection, had one been made, is accepted by now
            assert connections == []
    finally:
        await strict.close()
    await _nothing_told(device)
    (push_row,) = [r for r in await outbox_rows(person) if r["channel"] == "push"]
    assert (push_row["status"], push_row["outcome"]) == ("pending", "ForbiddenAddress")


async def test_the_connection_goes_to_the_address_that_was_checked(
    rt: NotificationRuntime, people: People, receiver: PushReceiver, var_dir: Path
) -> None:
    """DNS rebinding: the name resolved to a public address when it was stored and now
    answers 127.0.0.1. The send resolves once, checks, and would connect to exactly that
    address; here it refuses, and no connection is made."""
    person = await people.make()
    zone = Zone({"rebound.push.example.net": ["127.0.0.1"]})
    settings = production_settings(rt.settings, var_dir, "https://*.push.example.net:*")
    strict = NotificationRuntime.build(settings, rt.counters, rt.channels_backend, resolve=zone)
    try:
        with listening() as (port, connections):
            endpoint = f"https://rebound.push.example.net:{port}/push/x"
            device = await _device_with_a_notice(rt, person, endpoint, receiver)
            await drain(strict)
            await drain(strict, now=utcnow() + timedelta(hours=1))  # and its retry
            await asyncio.sleep(0)
            assert connections == []
    finally:
        await strict.close()
    assert zone.asked == ["rebound.push.example.net"] * 2
    attempts = await Attempt.select().where(Attempt.target_id == device).run()
    assert {(a["outcome"], a["status_code"], a["error_class"]) for a in attempts} == {
        ("retry", None, "ForbiddenAddress")
    }
