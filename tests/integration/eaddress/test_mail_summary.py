"""Unopened official mail is always visible (issue 15): behind a bank login — which the
e-address does not accept — a person still sees how many messages wait, from whom and when each
counts as received, on the home page first and in the navigation; only the content needs the
stronger login. Over real HTTP with real logins; the messages are sent through the real
institution API by this test (never the demo seed's)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import error_code, graphql
from tests.idp_driver import RunningIdP
from tests.integration.eaddress.conftest import Api, fetch_token, make_institution
from tests.integration.eaddress.mailbox_driver import (
    ACTIVATE,
    OZOLS,
    logged_in,
    ok,
    recipient,
    send,
    tag,
)
from tests.sandbox_driver import Sandbox

ENGLISH = {"accept": "text/html", "accept-language": "en"}
LATVIAN = {"accept": "text/html", "accept-language": "lv"}

SUMMARY = """{
  mailSummary { unreadCount contentVisible stepUpUrl
    unread { id subject deemedDeliveredOn institution { name } } }
  mailbox { address }
  notifications(first: 1) { unreadCount }
}"""
DEEMED = """query($id: ID!) { mailbox { message(id: $id) { deemedDeliveredOn } } }"""


@pytest.fixture(scope="module")
async def inst_api(services: Services, base_url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield Api(client, await fetch_token(client, await make_institution()))


@pytest.fixture(scope="module")
async def strong(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Ilze with eParaksts: her e-address active (the activation needs the strong login)."""
    client = await logged_in(base_url, "ilze")
    assert (await ok(client, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
    yield client
    await client.aclose()


@pytest.fixture(scope="module")
async def bank(strong: httpx.AsyncClient, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The same person through an internet bank: a login the e-address does not accept."""
    client = await logged_in(base_url, "ilze", "bank")
    yield client
    await client.aclose()


async def test_a_bank_login_sees_that_mail_waits_from_whom_and_since_when_but_not_its_content(
    bank: httpx.AsyncClient, strong: httpx.AsyncClient, inst_api: Api
) -> None:
    subject = f"Lēmums par nodokli {tag()}"
    message_id = await send(inst_api, recipient("ilze"), subject)
    deemed = (await ok(strong, DEEMED, id=message_id))["mailbox"]["message"]["deemedDeliveredOn"]

    body = await graphql(bank, SUMMARY)
    data = body["data"]
    assert isinstance(data, dict)
    # The mailbox refuses this login, but its error no longer wipes the rest of the answer.
    assert data["mailbox"] is None
    assert error_code(body) == "step_up_required"
    assert data["notifications"] is not None
    summary = data["mailSummary"]
    assert summary["unreadCount"] >= 1
    assert summary["contentVisible"] is False
    assert summary["stepUpUrl"] == "/auth/step-up?level=substantial&next=/mail"
    newest = summary["unread"][0]
    assert newest["id"] == message_id
    assert newest["institution"]["name"] == "Valsts ieņēmumu dienests"
    assert newest["deemedDeliveredOn"] == deemed
    assert newest["subject"] is None  # the content needs the e-address's own login

    # The home page shows it first, with the date, without the subject, and says how to read it.
    home = await bank.get("/", headers=ENGLISH)
    assert home.status_code == 200
    text = home.text
    assert text.index("Official e-address mail") < text.index("Changes since your last visit")
    assert "Valsts ieņēmumu dienests" in text
    assert subject not in text
    shown = date.fromisoformat(deemed).strftime("%-d %B %Y")
    assert shown in text  # "7 December 2026": en-GB, not US
    assert 'href="/auth/step-up?level=substantial&amp;next=/mail"' in text
    assert "Notification Law, Article 9" in text
    # …and the navigation counts it, though the mailbox itself needs a step-up.
    nav = re.search(r'<nav class="site-nav".*?</nav>', text, re.S)
    assert nav
    assert re.search(
        rf'href="/mail"[^>]*>Mail<span class="nav-badge">.*?{summary["unreadCount"]}',
        nav.group(0),
        re.S,
    )

    # Latvian: a numeric date where a case would be needed, and the count agrees with it.
    latvian = (await bank.get("/", headers=LATVIAN)).text
    assert date.fromisoformat(deemed).strftime("%d.%m.%Y.") in latvian
    count = summary["unreadCount"]
    expected = (
        f"{count} nelasīta vēstule"
        if count % 10 == 1 and count % 100 != 11
        else (f"{count} nelasītas vēstules")
    )
    assert expected in latvian


async def test_the_strong_login_sees_the_subjects_and_opens_the_mailbox(
    strong: httpx.AsyncClient, inst_api: Api
) -> None:
    subject = f"Paziņojums {tag()}"
    message_id = await send(inst_api, recipient("ilze"), subject)
    summary = (
        await ok(strong, "{ mailSummary { contentVisible stepUpUrl unread { id subject } } }")
    )["mailSummary"]
    assert summary["contentVisible"] is True
    assert summary["stepUpUrl"] is None
    assert {"id": message_id, "subject": subject} in summary["unread"]
    home = (await strong.get("/", headers=ENGLISH)).text
    assert f'href="/mail/messages/{message_id}">{subject}</a>' in home


async def test_the_summary_of_someone_elses_mailbox_is_forbidden(bank: httpx.AsyncClient) -> None:
    body = await graphql(bank, '{ mailSummary(subjectId: "company:40003999999") { unreadCount } }')
    assert error_code(body) == "forbidden"
    body = await graphql(bank, '{ mailSummary(subjectId: "not a subject") { unreadCount } }')
    assert error_code(body) == "forbidden"


SWITCH = """mutation($id: ID!) { switchActingAs(subjectId: $id) { __typename } }"""


async def test_acting_for_a_company_its_mail_is_summarised_and_the_reply_names_it(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str, inst_api: Api
) -> None:
    martins = await logged_in(base_url, "martins")
    try:
        switched = await ok(martins, SWITCH, id=OZOLS)
        assert switched["switchActingAs"]["__typename"] == "ActingAsSwitched"
        assert (await ok(martins, "{ mailbox { isCompany } }"))["mailbox"]["isCompany"]
        subject = f"Gada pārskats {tag()}"
        message_id = await send(
            inst_api, {"type": "company", "id": OZOLS_TECH.registration_number}, subject
        )
        home = (await martins.get("/", headers=ENGLISH)).text
        link = f'href="/mail/messages/{message_id}?subject={OZOLS.replace(":", "%3A")}">{subject}'
        assert link in home
        english = (await martins.get(f"/mail/messages/{message_id}", headers=ENGLISH)).text
        assert "Reply to Valsts ieņēmumu dienests (on behalf of Ozols Tech SIA)" in english
        latvian = (await martins.get(f"/mail/messages/{message_id}", headers=LATVIAN)).text
        assert "Atbildēt iestādei „Valsts ieņēmumu dienests” (Ozols Tech SIA vārdā)" in latvian
    finally:
        await martins.aclose()
