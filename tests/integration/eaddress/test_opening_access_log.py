"""The first opening of an e-address message is in the subject's "who looked at my data" log:
a company's on /company (for its officers), a person's on /privacy, and nobody else's.

Personas keep their mail and logs between tests (and, on PostgreSQL, between runs), so the
tests count entries before and after rather than expecting an empty log.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from backend.auth.people import find_by_personal_code
from backend.dashboard import access_log
from backend.dashboard.subjects import OnBehalf
from backend.dashboard.tables import DataAccess
from backend.eaddress.mailbox.accounts import ensure_company_account
from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import error_code, graphql
from tests.idp_driver import RunningIdP
from tests.integration.dashboard.queries import ACCESS
from tests.integration.eaddress.conftest import Api, fetch_token, make_institution
from tests.integration.eaddress.mailbox_driver import (
    ACTIVATE,
    OPEN,
    OZOLS,
    delegation,
    logged_in,
    ok,
    recipient,
    send,
    tag,
)
from tests.sandbox_driver import Sandbox

ENGLISH = {"accept": "text/html", "accept-language": "en"}
SWITCH = """mutation($id: ID!) { switchActingAs(subjectId: $id) { __typename } }"""


@pytest.fixture(scope="module")
async def inst_api(services: Services, base_url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield Api(client, await fetch_token(client, await make_institution()))


@pytest.fixture(scope="module")
async def valdis(
    idp: RunningIdP, registry_sandbox: Sandbox, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await logged_in(base_url, "valdis")
    yield client
    await client.aclose()


async def log_of(client: httpx.AsyncClient, subject: str | None = None) -> list[dict[str, Any]]:
    body = await graphql(client, ACCESS, {"first": 100, "subject": subject})
    assert "errors" not in body, body
    board: dict[str, Any] = body["data"]["me"]["dashboard"]  # type: ignore[index]
    assert board["__typename"] in ("PersonDashboard", "CompanyDashboard"), board
    entries: list[dict[str, Any]] = board["dataAccess"]["entries"]
    return [e for e in entries if e["source"] == "EADDRESS"]


async def page(client: httpx.AsyncClient, url: str) -> str:
    answer = await client.get(url, headers=ENGLISH)
    assert answer.status_code == 200, answer.text
    return answer.text


def section(html: str, heading_id: str) -> str:
    """The text of the <section> labelled by `heading_id`, tags stripped."""
    found = re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert found, f"no section {heading_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


async def test_a_delegates_first_opening_is_in_the_companys_log_once(
    registry_sandbox: Sandbox, base_url: str, inst_api: Api, valdis: httpx.AsyncClient
) -> None:
    await ensure_company_account(OZOLS_TECH.registration_number)
    martins = await logged_in(base_url, "martins")
    martins_person = await find_by_personal_code(persona("martins").personal_code or "")
    assert martins_person is not None
    try:
        subject = f"PVN {tag()}"
        message_id = await send(
            inst_api, {"type": "company", "id": OZOLS_TECH.registration_number}, subject
        )
        before = await log_of(martins, OZOLS)
        async with delegation(martins_person.id, "valdis", "view_mail"):
            # A delegate who may only read mail does not see the company's log.
            hidden = await graphql(valdis, ACCESS, {"first": 5, "subject": OZOLS})
            assert error_code(hidden) == "forbidden"
            opened = (await ok(valdis, OPEN, id=message_id, s=OZOLS))["openMessage"]
            assert opened["firstOpening"] is True
            again = (await ok(valdis, OPEN, id=message_id, s=OZOLS))["openMessage"]
            assert again["firstOpening"] is False
        assert (await ok(martins, OPEN, id=message_id, s=OZOLS))["openMessage"]["firstOpening"] is (
            False
        )

        after = await log_of(martins, OZOLS)
        assert len(after) == len(before) + 1  # the later openings added nothing
        newest = after[0]
        assert {k: newest[k] for k in ("purpose", "onBehalf", "actorName", "outcome")} == {
            "purpose": "message_opened",
            "onBehalf": "DELEGATE",
            "actorName": "Valdis Krūmiņš",
            "outcome": "ok",
        }
        row = await DataAccess.select().where(DataAccess.id == int(newest["id"])).first()
        assert row is not None
        assert row["subject_key"] == OZOLS
        assert subject not in str(row)  # who opened, never what

        assert (await ok(martins, SWITCH, id=OZOLS))["switchActingAs"]["__typename"] == (
            "ActingAsSwitched"
        )
        text = section(await page(martins, "/company"), "company-log-heading")
        assert "Who opened our mail or looked at our data" in text
        assert "Opened an e-address message: Valdis Krūmiņš (a delegate)" in text
        assert subject not in text
    finally:
        await martins.aclose()


async def test_my_own_opening_is_on_my_privacy_page_and_nobody_elses(
    registry_sandbox: Sandbox, base_url: str, inst_api: Api, valdis: httpx.AsyncClient
) -> None:
    anna = await logged_in(base_url, "anna")
    try:
        assert (await ok(anna, ACTIVATE))["activateEaddress"]["mailbox"]["active"]
        anna_person = await find_by_personal_code(persona("anna").personal_code or "")
        assert anna_person is not None
        before = await log_of(anna)
        valdis_before = await log_of(valdis)
        subject = f"Nodoklis {tag()}"
        message_id = await send(inst_api, recipient("anna"), subject)
        assert (await ok(anna, OPEN, id=message_id))["openMessage"]["firstOpening"] is True

        mine = await log_of(anna)
        assert len(mine) == len(before) + 1
        assert (mine[0]["onBehalf"], mine[0]["purpose"]) == ("SELF", "message_opened")
        text = section(await page(anna, "/privacy"), "log-heading")
        assert "Opened an e-address message: you" in text
        assert subject not in text

        # Another person finds it neither in their own log nor by asking for anna's.
        assert await log_of(valdis) == valdis_before
        other = await graphql(valdis, ACCESS, {"first": 5, "subject": anna_person.subject_key})
        assert other["data"]["me"]["dashboard"]["__typename"] == "ForbiddenError"  # type: ignore[index]
    finally:
        await anna.aclose()


async def test_the_companys_log_on_company_pages_back(
    registry_sandbox: Sandbox, base_url: str
) -> None:
    martins = await logged_in(base_url, "martins")
    martins_person = await find_by_personal_code(persona("martins").personal_code or "")
    assert martins_person is not None
    try:
        for _ in range(11):  # more than a page (10)
            await access_log.record_opening(OZOLS, martins_person.id, OnBehalf.REPRESENTATIVE)
        assert (await ok(martins, SWITCH, id=OZOLS))["switchActingAs"]["__typename"] == (
            "ActingAsSwitched"
        )
        first = section(await page(martins, "/company"), "company-log-heading")
        assert first.count("Opened an e-address message: Mārtiņš Ozols") == 10
        assert "Newest" not in first
        older = re.search(r'href="(/company\?after=[^"]+)"', await page(martins, "/company"))
        assert older, "no link to older entries"
        second = section(
            await page(martins, older.group(1).replace("&amp;", "&")), "company-log-heading"
        )
        assert "Newest" in second
        assert "Opened an e-address message: Mārtiņš Ozols (a company representative)" in second
    finally:
        await martins.aclose()
