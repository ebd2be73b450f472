"""In-app notifications: the list with read/unread, and live updates over server-sent events
to a logged-in page (session cookie), through Litestar channels (memory or Redis)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import httpx

from backend.lib.db import transaction
from backend.notifications.channels import inapp
from backend.notifications.engine.delivery import deliver_batch, worker_id
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.render.messages import in_language
from backend.notifications.tables import Outbox
from backend.services import Services
from tests.integration.eaddress.conftest import (
    Api,
    fetch_token,
    make_institution,
    make_person,
    message_json,
)
from tests.integration.notifications.conftest import People, drain


async def _notice(services: Services, person: uuid.UUID, n: int) -> None:
    async with transaction(Outbox._meta.db):
        await enqueue(
            Notice(
                f"obligations.reminder:{uuid.uuid4()}",
                "obligations.reminder",
                f"person:{person}",
                {"title": f"Report {n}", "due_on": "2027-03-01"},
                link="/obligations",
            ),
            [person],
            settings=services.settings.notifications,
        )


async def test_the_list_reads_newest_first_and_marks_read(
    services: Services, people: People
) -> None:
    person, stranger = await people.make(), await people.make()
    for n in range(3):
        await _notice(services, person, n)
        await drain(services.notifications)  # one batch each: three distinct timestamps
    public_url = services.settings.web.public_url
    with in_language("en"):
        items = await inapp.list_items(person, public_url)
    assert [item.body for item in items] == [
        "Report 2: due on 1 March 2027.",
        "Report 1: due on 1 March 2027.",
        "Report 0: due on 1 March 2027.",
    ]
    assert await inapp.unread_count(person) == 3
    assert await inapp.mark_read(stranger, [items[0].id]) == 0  # not theirs
    assert await inapp.mark_read(person, [items[0].id]) == 1
    assert await inapp.unread_count(person) == 2
    unread = await inapp.list_items(person, public_url, unread_only=True)
    assert items[0].id not in {item.id for item in unread}
    assert await inapp.mark_unread(person, [items[0].id]) == 1
    assert await inapp.mark_read(person) == 3
    assert await inapp.unread_count(person) == 0
    with in_language("lv"):
        (first, *_) = await inapp.list_items(person, public_url, limit=1)
    # Rendered when read, in the reader's language (dates already Latvian; the text follows
    # with the lv catalog).
    assert first.body.endswith("2027. gada 1. marts.")


async def _login(services: Services, person: uuid.UUID) -> str:
    epoch = await services.auth.sessions.current_epoch(str(person))
    session_id, _ = await services.auth.sessions.create(str(person), epoch, 2, None)
    return session_id


async def _events(lines: AsyncIterator[str], wanted: int) -> list[dict[str, str]]:
    """Read server-sent events until `wanted` non-comment events arrived."""
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    async for line in lines:
        if line == "":
            if current:
                events.append(current)
                current = {}
                if len(events) == wanted:
                    return events
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        current[field] = value.removeprefix(" ")
    return events


async def test_a_logged_in_page_gets_new_notifications_live(
    services: Services, people: People, base_url: str
) -> None:
    person = await people.make(locale="en")
    cookie = {services.auth.cookies.session: await _login(services, person)}
    async with (
        httpx.AsyncClient(
            base_url=base_url, cookies=cookie, headers={"Accept-Language": "en"}, timeout=30
        ) as client,
        client.stream("GET", "/notifications/stream") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.aiter_lines()
        ready = await _events(lines, 1)
        assert ready[0]["event"] == "ready"
        assert json.loads(ready[0]["data"]) == {"unread": 0}

        await _notice(services, person, 7)
        worker = worker_id()
        while await deliver_batch(services.notifications, worker):
            pass
        (event,) = await asyncio.wait_for(_events(lines, 1), timeout=25)
    assert event["event"] == "notification"
    data = json.loads(event["data"])
    assert data["title"] == "Deadline approaching"
    assert data["body"] == "Report 7: due on 1 March 2027."
    assert data["link"] == "/obligations"
    (item,) = await inapp.list_items(person, services.settings.web.public_url)
    assert data["id"] == event["id"] == str(item.id)


async def test_the_stream_needs_a_session(http: httpx.AsyncClient, base_url: str) -> None:
    response = await http.get("/notifications/stream")
    assert response.status_code == 401
    async with httpx.AsyncClient(
        base_url=base_url, cookies={"vienuviet": "not-a-session"}, timeout=10
    ) as stranger:
        response = await stranger.get("/notifications/stream")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


async def test_a_live_mail_notice_names_the_sender_and_never_asks_to_log_in(
    services: Services, base_url: str
) -> None:
    """The stream says what the list says: who sent the official message (issue 15, item 10),
    looked up for the signed-in reader; the stored notice holds only the message id."""
    holder = await make_person()
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as institution:
        api = Api(institution, await fetch_token(institution, await make_institution()))
        sent = await api.send(message_json(holder.recipient, subject="Lēmums par pabalstu"))
        assert sent.status_code == 201, sent.text
        message_id = sent.json()["id"]
    cookie = {services.auth.cookies.session: await _login(services, holder.person_id)}
    async with (
        httpx.AsyncClient(
            base_url=base_url, cookies=cookie, headers={"Accept-Language": "en"}, timeout=30
        ) as client,
        client.stream("GET", "/notifications/stream") as response,
    ):
        lines = response.aiter_lines()
        assert (await _events(lines, 1))[0]["event"] == "ready"
        async with transaction(Outbox._meta.db):
            await enqueue(
                Notice(
                    f"eaddress.message_received:{message_id}",
                    "eaddress.message_received",
                    f"person:{holder.person_id}",
                    {"message_id": message_id},
                    link=f"/mail/messages/{message_id}",
                ),
                [holder.person_id],
                settings=services.settings.notifications,
            )
        worker = worker_id()
        while await deliver_batch(services.notifications, worker):
            pass
        (event,) = await asyncio.wait_for(_events(lines, 1), timeout=25)
    body = json.loads(event["data"])["body"]
    assert body.startswith("A new official message is waiting in your e-address.")
    assert "Sender: Valsts ieņēmumu dienests." in body
    assert "Log in" not in body
