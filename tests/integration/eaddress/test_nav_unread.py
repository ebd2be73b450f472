"""The navigation's unread counts next to Mail and Notifications, over real HTTP with a real
login: they follow what arrives and what is read, say "unread" in words for screen readers, and
the Notifications badge runs the live stream everywhere but on /notifications itself."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.auth.people import find_by_personal_code
from backend.lib.time import utcnow
from backend.notifications.tables import InAppNotification
from backend.services import Services
from integrations.devstack.personas import persona
from tests.idp_driver import RunningIdP
from tests.integration.eaddress.conftest import Api, fetch_token, make_institution
from tests.integration.eaddress.mailbox_driver import ACTIVATE, logged_in, ok, recipient, send, tag
from tests.sandbox_driver import Sandbox

ENGLISH = {"accept": "text/html", "accept-language": "en"}


@pytest.fixture(scope="module")
async def inst_api(services: Services, base_url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield Api(client, await fetch_token(client, await make_institution()))


@pytest.fixture(scope="module")
async def anna(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await logged_in(base_url, "anna")
    assert (await ok(client, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
    yield client
    await client.aclose()


def nav_link(html: str, href: str) -> str:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav, "no navigation"
    link = re.search(rf'<a href="{href}"[^>]*>.*?</a>', nav.group(0), re.S)
    assert link, f"no {href} link"
    return link.group(0)


def spoken(link: str) -> str:
    """What a screen reader says for the link: its text, tags stripped, hidden badges out."""
    shown = re.sub(r'<span class="nav-badge"[^>]* hidden>.*?</span></span>', "", link, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", shown)).strip()


async def nav(client: httpx.AsyncClient, path: str = "/") -> tuple[str, str, str]:
    answer = await client.get(path, headers=ENGLISH)
    assert answer.status_code == 200, answer.text
    return answer.text, nav_link(answer.text, "/mail"), nav_link(answer.text, "/notifications")


def count(link: str) -> int:
    said = re.search(r", (\d+) unread", spoken(link))
    return int(said.group(1)) if said else 0


async def test_mail_badge_follows_new_and_opened_messages(
    anna: httpx.AsyncClient, inst_api: Api
) -> None:
    _, mail, _ = await nav(anna)
    before = count(mail)
    ids = [await send(inst_api, recipient("anna"), f"Badge {i} {tag()}") for i in range(2)]
    _, mail, _ = await nav(anna)
    assert spoken(mail) == f"Mail, {before + 2} unread messages"
    assert 'class="nav-badge"' in mail  # visible text, not a colour

    # The message page opens it; the same page's navigation already counts one fewer.
    _, mail, _ = await nav(anna, f"/mail/messages/{ids[0]}")
    assert count(mail) == before + 1
    _, mail, _ = await nav(anna, "/privacy")
    assert count(mail) == before + 1


async def test_notifications_badge_follows_delivery_and_marking_read(
    anna: httpx.AsyncClient,
) -> None:
    person = await find_by_personal_code(persona("anna").personal_code or "")
    assert person is not None
    await anna.post(
        "/notifications/read", data={"_csrf_token": anna.cookies.get("csrftoken", ""), "all": "1"}
    )
    _, _, notes = await nav(anna)
    assert count(notes) == 0
    assert " hidden>" in notes  # there, hidden, for the live stream to reveal
    assert "data-unread-count>0<" in notes
    assert 'data-module="live-notifications"' in notes

    item_id = uuid.uuid4()
    await (
        InAppNotification(
            id=item_id,
            person=person.id,
            subject_key=person.subject_key,
            category="account",
            kind="account.test",
            params={},
            link="/notifications",
            created_at=utcnow(),
        )
        .save()
        .run()
    )
    _, _, notes = await nav(anna, "/account")
    assert spoken(notes) == "Notifications, 1 unread"

    # On /notifications the page runs the stream itself: one stream, not two.
    html, _, notes = await nav(anna, "/notifications")
    assert count(notes) == 1
    assert 'data-module="live-notifications"' not in notes
    assert html.count('data-module="live-notifications"') == 1

    answer = await anna.post(
        "/notifications/read",
        data={"_csrf_token": anna.cookies["csrftoken"], "id": str(item_id)},
    )
    assert answer.status_code == 303
    _, _, notes = await nav(anna)
    assert count(notes) == 0


async def test_anonymous_pages_have_no_counts(http: httpx.AsyncClient) -> None:
    answer = await http.get("/", headers=ENGLISH)
    assert answer.status_code == 200
    assert "nav-badge" not in answer.text
