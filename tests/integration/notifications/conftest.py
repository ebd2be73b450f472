"""Fixtures for the notification centre: a runtime wired to loopback servers (push receiver,
SMTP server), people made per test and removed afterwards, and a `drain` helper that runs the
delivery engine until nothing is due."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from backend.auth.tables import Person
from backend.lib.time import RIGA, utcnow
from backend.notifications.engine.delivery import deliver_batch, worker_id
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import (
    Attempt,
    ContactPoint,
    InAppNotification,
    Outbox,
    PersonSettings,
    Preference,
    PushSubscription,
    UndeliveredNotice,
)
from backend.services import Services
from backend.settings import Settings, parse_push_origins
from tests.push_receiver import PushReceiver, Subscriber
from tests.servers import serve

LOOPBACK_PUSH_ORIGINS = "http://127.0.0.1:*,https://127.0.0.1:*"
"""What development and tests add to PUSH_ALLOWED_ORIGINS to reach a push receiver."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MailServer:
    """aiosmtpd handler: keeps what arrived; refuses recipients listed in `refuse`."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpts, message in self.messages if address in rcpts]


@pytest.fixture(scope="session")
def mail_server() -> Iterator[tuple[MailServer, int]]:
    handler = MailServer()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def mailbox(mail_server: tuple[MailServer, int]) -> MailServer:
    return mail_server[0]


@pytest.fixture(scope="session")
def notify_settings(settings: Settings, mail_server: tuple[MailServer, int]) -> Settings:
    """Development mode with loopback allowed explicitly for pushes (the push receivers are
    http:// on loopback), the loopback SMTP server, and retries measured in seconds rather
    than minutes."""
    loopback = parse_push_origins(LOOPBACK_PUSH_ORIGINS, debug=True)
    return replace(
        settings,
        web=replace(settings.web, debug=True),
        push=replace(settings.push, allowed_origins=settings.push.allowed_origins + loopback),
        email=replace(settings.email, smtp_url=f"smtp://127.0.0.1:{mail_server[1]}"),
        notifications=replace(
            settings.notifications, backoff_base_s=2.0, backoff_max_s=10.0, lease_s=30
        ),
    )


@pytest.fixture(scope="session")
async def rt(notify_settings: Settings, services: Services) -> AsyncIterator[NotificationRuntime]:
    runtime = NotificationRuntime.build(
        notify_settings, services.stores.counters, services.stores.channels_backend
    )
    try:
        yield runtime
    finally:
        await runtime.close()


@pytest.fixture(scope="session")
async def receiver(rt: NotificationRuntime) -> AsyncIterator[PushReceiver]:
    push = PushReceiver(rt.vapid_public_key)
    async with serve(push) as url:
        push.origin = url
        yield push


class People:
    """Makes people for one test and removes them, and everything of theirs, afterwards."""

    def __init__(self) -> None:
        self.ids: list[uuid.UUID] = []

    async def make(self, locale: str = "en", personal_code: str | None = None) -> uuid.UUID:
        person_id = uuid.uuid4()
        await (
            Person(
                id=person_id,
                person_key=f"https://id.test {person_id}",
                personal_code=personal_code,
                given_name="Anna",
                family_name="Bērziņa",
                locale=locale,
            )
            .save()
            .run()
        )
        self.ids.append(person_id)
        return person_id

    async def cleanup(self) -> None:
        if not self.ids:
            return
        outbox_ids = [
            row["id"]
            for row in await Outbox.select(Outbox.id).where(Outbox.person.is_in(self.ids)).run()
        ]
        if outbox_ids:
            await Attempt.delete().where(Attempt.outbox.is_in(outbox_ids)).run()
        for table in (InAppNotification, UndeliveredNotice, Outbox, ContactPoint):
            await table.delete().where(table.person.is_in(self.ids)).run()  # type: ignore[attr-defined]
        for table in (PushSubscription, Preference, PersonSettings):
            await table.delete().where(table.person.is_in(self.ids)).run()  # type: ignore[attr-defined]
        await Person.delete().where(Person.id.is_in(self.ids)).run()


@pytest.fixture
async def people(services: Services) -> AsyncIterator[People]:
    made = People()
    try:
        yield made
    finally:
        await made.cleanup()


async def add_device(person: uuid.UUID, subscriber: Subscriber, label: str = "Phone") -> uuid.UUID:
    row_id = uuid.uuid4()
    await (
        PushSubscription(
            id=row_id,
            person=person,
            endpoint=subscriber.endpoint,
            p256dh=subscriber.p256dh,
            auth=subscriber.auth_b64,
            device_label=label,
        )
        .save()
        .run()
    )
    return row_id


async def add_contact(
    person: uuid.UUID, kind: str, address: str, *, verified: bool = True
) -> uuid.UUID:
    row_id = uuid.uuid4()
    await (
        ContactPoint(
            id=row_id,
            person=person,
            kind=kind,
            address=address,
            verified_at=utcnow() if verified else None,
        )
        .save()
        .run()
    )
    return row_id


async def drain(
    rt: NotificationRuntime, *, now: datetime | None = None, worker: str | None = None
) -> int:
    """Run delivery batches until nothing is due; returns how many rows were handled."""
    worker = worker or worker_id()
    handled = 0
    for _ in range(100):
        batch = await deliver_batch(rt, worker, now=now)
        if batch == 0:
            return handled
        handled += batch
    raise AssertionError("the outbox never emptied")


async def outbox_rows(person: uuid.UUID) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Outbox.select().where(Outbox.person == person).order_by(Outbox.channel).run()
    )
    return rows


def latest_daytime(now: datetime) -> datetime:
    """`now` if it is day in Riga (08:00–21:00), else the last 21:00 in Riga before it.

    Never in the future: a decision dated ahead of the clock would queue its notices for a
    moment the outbox has not reached yet (they would wait in `pending`).
    """
    local = now.astimezone(RIGA)
    if time(8, 0) <= local.time() < time(21, 0):
        return now
    evening = datetime.combine(local.date(), time(21, 0), tzinfo=RIGA)
    if local.time() < time(8, 0):
        evening -= timedelta(days=1)
    return evening.astimezone(UTC)


@pytest.fixture(autouse=True)
def daytime_in_riga(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Decisions are made by day in Riga unless a test passes its own `now`.

    Quiet hours (22:00–07:00 Riga) hold push and SMS back; without this pin the suite would
    pass by day and fail by night. Tests of quiet hours pass `now` explicitly.
    """
    daytime = latest_daytime(utcnow())
    for module in ("engine.enqueue", "service", "preferences.choices"):
        monkeypatch.setattr(f"backend.notifications.{module}.utcnow", lambda: daytime)
    return daytime


@pytest.fixture(scope="module")
async def live(
    services: Services, notify_settings: Settings, sandbox_url: str
) -> AsyncIterator[NotificationRuntime]:
    """The app's notification runtime pointed at the loopback SMTP server and the sandbox's SMS
    gateway, in development mode (the push receiver is http:// on loopback). Per module: other
    modules see the app as configured (not in development)."""
    settings = replace(
        notify_settings, sms=replace(notify_settings.sms, gateway_url=f"{sandbox_url}/sms")
    )
    original = services.notifications
    runtime = NotificationRuntime.build(
        settings, services.stores.counters, services.stores.channels_backend
    )
    services.notifications = runtime
    try:
        yield runtime
    finally:
        services.notifications = original
        await runtime.close()
