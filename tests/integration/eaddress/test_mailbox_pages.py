"""The mailbox pages without JavaScript: plain GETs and form posts (post/redirect/get) over
real HTTP with a real login."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest

from backend.lib.time import utcnow
from backend.notifications.tables import InAppNotification
from backend.services import Services
from tests.auth_driver import graphql, login_as, pick
from tests.idp_driver import RunningIdP
from tests.integration.eaddress.conftest import Api, fetch_token, make_institution, make_person
from tests.integration.eaddress.mailbox_driver import ACTIVATE, logged_in, ok, recipient, send, tag
from tests.sandbox_driver import Sandbox

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
async def inst_api(services: Services, base_url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield Api(client, await fetch_token(client, await make_institution()))


@pytest.fixture(scope="module")
async def laura(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await logged_in(base_url, "laura")
    assert (await ok(client, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
    yield client
    await client.aclose()


async def page(client: httpx.AsyncClient, url: str) -> str:
    answer = await client.get(url, headers=HTML)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "private, no-store"
    return answer.text


async def post(client: httpx.AsyncClient, url: str, **form: str) -> str:
    answer = await client.post(url, data={"_csrf_token": client.cookies["csrftoken"], **form})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


async def test_the_mailbox_lists_pages_searches_and_opens(
    laura: httpx.AsyncClient, inst_api: Api
) -> None:
    word = tag()
    ids = [await send(inst_api, recipient("laura"), f"Lēmums {i} {word}") for i in range(21)]
    html = await page(laura, "/mail")
    assert "<h1>Jūsu e-adrese</h1>" in html
    assert f"Lēmums 20 {word}" in html
    assert f"Lēmums 0 {word}" not in html  # 20 a page: the oldest is on the next one
    assert re.search(r"<strong>[^<]+</strong> Lēmums 20", html)  # unread said in words
    older = re.search(r'href="(/mail\?[^"]*after=[^"]+)"', html)
    assert older is not None
    assert f"Lēmums 0 {word}" in await page(laura, older.group(1).replace("&amp;", "&"))

    found = await page(laura, f"/mail?q=lemums+{word}+5")
    assert f"Lēmums 5 {word}" in found
    assert f"Lēmums 6 {word}" not in found
    assert "Ierakstiet vismaz vienu" in await page(laura, "/mail?q=%3F%21")  # no words

    message = await page(laura, f"/mail/messages/{ids[3]}")
    assert f"Lēmums 3 {word}" in message
    status = (await inst_api.get(f"/messages/{ids[3]}")).json()
    assert status["status"] == "opened"
    assert "Laura" in message  # the receipt timeline names who opened it

    # A prefetch only looks.
    prefetched = await laura.get(
        f"/mail/messages/{ids[4]}", headers={**HTML, "Sec-Purpose": "prefetch"}
    )
    assert prefetched.status_code == 200
    assert (await inst_api.get(f"/messages/{ids[4]}")).json()["status"] == "available"


async def test_reply_and_archive_through_forms(laura: httpx.AsyncClient, inst_api: Api) -> None:
    message_id = await send(inst_api, recipient("laura"), f"Jautājums {tag()}")
    html = await page(laura, f"/mail/messages/{message_id}")
    subject = re.search(r'name="subject" value="([^"]+)"', html)
    assert subject is not None
    # Each form comes back to its own place below the letter (the redirect keeps the fragment).
    assert f'action="/mail/messages/{message_id}/reply#reply"' in html
    assert f'action="/mail/messages/{message_id}/archive#mail-archive"' in html
    location = await post(
        laura, f"/mail/messages/{message_id}/reply", body="Atbilde.", subject=subject.group(1)
    )
    assert location.startswith(f"/mail/messages/{message_id}?")
    assert "notice=replied" in location
    replied = await page(laura, location)
    assert "Atbilde" not in replied  # the original is shown, with a notice
    # ... in the reply section, not at the top of the page.
    assert replied.index("Jūsu atbilde ir nosūtīta.") > replied.index('id="reply"')
    sent = await page(laura, "/mail?folder=SENT")
    assert "Atbilde" not in sent
    assert "Re: Jautājums" in sent

    bad = await post(laura, f"/mail/messages/{message_id}/reply", body=" ")
    assert "notice=invalid_reply" in bad

    location = await post(laura, f"/mail/messages/{message_id}/archive", archived="1")
    assert "notice=archived" in location
    archived = await page(laura, location)
    assert archived.index('role="status"') > archived.index('id="mail-archive"')
    assert message_id in await page(laura, "/mail?folder=ARCHIVE")
    await post(laura, f"/mail/messages/{message_id}/archive", archived="0")
    assert message_id not in await page(laura, "/mail?folder=ARCHIVE")

    refused = await laura.post(f"/mail/messages/{message_id}/archive", data={"archived": "1"})
    assert refused.status_code == 403  # no CSRF token


async def test_turning_the_e_address_off_and_on_from_the_page(
    laura: httpx.AsyncClient, inst_api: Api
) -> None:
    mailbox = await page(laura, "/mail")
    assert 'action="/mail/deactivate"' not in mailbox  # no one-tap switch on the mailbox
    # The link to turn it off comes after the inbox, in reading and tab order.
    assert mailbox.index('id="list-heading"') < mailbox.index('href="/mail/deactivate"')
    confirm = await page(laura, "/mail/deactivate")
    assert "<h1>Izslēgt e-adresi?</h1>" in confirm
    assert "septītajā dienā" in confirm  # what paper delivery means, before anything changes
    assert 'action="/mail/deactivate"' in confirm
    try:
        location = await post(laura, "/mail/deactivate")
        assert "notice=deactivated" in location
        html = await page(laura, location)
        assert 'action="/mail/activate"' in html
        answer = await inst_api.send(
            {"recipient": recipient("laura"), "subject": "Papīrs", "body": "Teksts."}
        )
        assert answer.json()["code"] == "no_active_eaddress"
    finally:
        location = await post(laura, "/mail/activate")
    assert "notice=activated" in location
    assert 'href="/mail/deactivate"' in await page(laura, location)


async def test_the_confirmation_page_is_only_for_an_active_e_address(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> None:
    client = await logged_in(base_url, "zane")
    try:
        await graphql(client, "mutation { deactivateEaddress { __typename } }")  # off, or never on
        answer = await client.get("/mail/deactivate", headers=HTML)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/mail?notice=no_eaddress"
    finally:
        await client.aclose()
    async with httpx.AsyncClient(base_url=base_url) as stranger:
        answer = await stranger.get("/mail/deactivate", headers=HTML)
        assert answer.status_code in (302, 303)
        assert answer.headers["location"].startswith("/auth/login")


async def test_other_mailboxes_and_strangers_get_nothing(
    laura: httpx.AsyncClient, inst_api: Api, base_url: str
) -> None:
    someone = await make_person()
    message_id = await send(inst_api, someone.recipient, f"Citam {tag()}")
    assert (await laura.get(f"/mail/messages/{message_id}", headers=HTML)).status_code == 404
    answer = await laura.get(f"/mail?subject={quote('company:40003123459')}", headers=HTML)
    assert answer.status_code == 403
    async with httpx.AsyncClient(base_url=base_url) as stranger:
        answer = await stranger.get("/mail", headers=HTML)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/auth/login?next=/mail")


async def test_a_bank_login_is_asked_to_step_up(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as weak:
        await login_as(weak, "valdis", "bank")
        answer = await weak.get("/mail?folder=SENT", headers=HTML)
        assert answer.status_code == 303
        assert answer.headers["location"] == (
            "/auth/step-up?level=substantial&next=/mail%3Ffolder%3DSENT"
        )
        # The step-up page says why, and its button starts the stronger login…
        explained = await weak.get(answer.headers["location"], headers=HTML)
        assert explained.status_code == 200
        assert "eParaksts" in explained.text
        assert 'href="/auth/login?level=substantial&amp;next=/mail%3Ffolder%3DSENT"' in (
            explained.text
        )
        # …and is brought back to the same page, query and all, once logged in.
        login = await weak.get("/auth/login?level=substantial&next=/mail%3Ffolder%3DSENT")
        assert login.status_code in (302, 303)
        picker = await weak.get(login.headers["location"])
        back = await weak.get(str(await pick(weak, picker, "valdis", "eparaksts")))
        assert back.headers["location"] == "/mail?folder=SENT"


async def test_the_in_app_notice_names_sender_and_subject_and_never_asks_to_log_in(
    laura: httpx.AsyncClient, inst_api: Api
) -> None:
    """The notice stores only the message id; the signed-in list says who sent what (issue 15,
    item 10) — and nothing of a message in a mailbox the reader may not see."""
    subject = f"Lēmums par pabalstu {tag()}"
    message_id = await send(inst_api, recipient("laura"), subject)
    other = await make_person()
    foreign = await send(inst_api, other.recipient, f"Svešs {tag()}")
    me = await graphql(laura, "{ notificationSettings { subject { id } } }")
    person = uuid.UUID(str(me["data"]["notificationSettings"]["subject"]["id"])[7:])  # type: ignore[index]
    # Her notices of earlier runs (a kept database) are not this test's.
    await InAppNotification.delete().where(InAppNotification.person == person).run()
    for about, key in ((message_id, f"person:{person}"), (foreign, f"person:{other.person_id}")):
        await (
            InAppNotification(
                id=uuid.uuid4(),
                person=person,
                subject_key=key,
                category="eaddress",
                kind="eaddress.message_received",
                params={"message_id": about},
                link=f"/mail/messages/{about}",
                created_at=utcnow(),
            )
            .save()
            .run()
        )
    answer = await laura.get("/notifications", headers=HTML)
    assert answer.status_code == 200
    listed = answer.text
    assert f"Sūtītājs: Valsts ieņēmumu dienests. Temats: „{subject}”." in listed
    assert "Piesakieties" not in listed  # she is signed in
    assert "Svešs" not in listed  # another person's mailbox: the bare notice only
    assert listed.count("Sūtītājs:") == 1
    english = await laura.get("/notifications", headers={**HTML, "accept-language": "en"})
    assert "Log in" not in english.text
    # Behind a bank login the sender is still said; the subject, part of the content, is not.
    bank = await logged_in(str(laura.base_url), "laura", "bank")
    try:
        weak = await bank.get("/notifications", headers=HTML)
        assert "Sūtītājs: Valsts ieņēmumu dienests." in weak.text
        assert subject not in weak.text
    finally:
        await bank.aclose()
