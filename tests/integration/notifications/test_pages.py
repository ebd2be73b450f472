"""/notifications and /settings/notifications without JavaScript: read through GraphQL
in-process, written through form posts (CSRF, post/redirect/get with a notice code)."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.lib.time import utcnow
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import ContactPoint, InAppNotification
from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.notifications.conftest import MailServer
from tests.integration.notifications.test_graphql_settings import SETTINGS, _cells, _fresh
from tests.sandbox_driver import Sandbox

HTML = {"accept": "text/html"}
ENGLISH = {**HTML, "accept-language": "en"}


@pytest.fixture(scope="module")
async def laura(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        await login_as(client, "laura", "eparaksts")
        yield client


async def csrf(client: httpx.AsyncClient) -> str:
    if "csrftoken" not in client.cookies:
        await client.get("/", headers=HTML)
    return client.cookies.get("csrftoken", "")


async def post(client: httpx.AsyncClient, path: str, **form: object) -> str:
    """Post a form; return the notice the page redirects back with."""
    answer = await client.post(path, data={"_csrf_token": await csrf(client), **form})
    assert answer.status_code == 303, answer.text
    notice = re.search(r"notice=([a-z_]+)", answer.headers["location"])
    assert notice is not None, answer.headers["location"]
    return notice.group(1)


async def test_the_pages_need_a_login(http: httpx.AsyncClient) -> None:
    for path in ("/notifications", "/settings/notifications"):
        page = await http.get(path, headers=HTML)
        assert page.status_code == 303
        assert page.headers["location"] == f"/auth/login?next={path}"


async def test_the_preference_matrix_is_a_form(laura: httpx.AsyncClient) -> None:
    await _fresh(laura)
    page = await laura.get("/settings/notifications", headers=HTML)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert 'name="pref" value="EADDRESS:INAPP" checked disabled' in page.text
    assert 'data-module="push-subscribe"' in page.text
    no_token = await laura.post("/settings/notifications/preferences", data={"pref": "x"})
    assert no_token.status_code == 403
    ticked = ["EADDRESS:EMAIL", "EADDRESS:SMS", "OBLIGATIONS:INAPP"]
    notice = await post(laura, "/settings/notifications/preferences", pref=ticked)
    assert notice == "preferences_saved"
    cells = _cells((await graphql(laura, SETTINGS))["data"]["notificationSettings"])  # type: ignore[index]
    assert {f"{c}:{ch}" for (c, ch), on in cells.items() if on} == {*ticked, "EADDRESS:INAPP"}
    page = await laura.get("/settings/notifications?notice=preferences_saved", headers=HTML)
    assert '<div class="notice" role="status">' in page.text


async def test_quiet_hours_language_and_test_sends_report_back(laura: httpx.AsyncClient) -> None:
    await _fresh(laura)
    path = "/settings/notifications"
    assert await post(laura, f"{path}/quiet-hours", start="25:00", end="07:00") == "invalid_time"
    saved = await post(laura, f"{path}/quiet-hours", start="21:00", end="06:30", enabled="1")
    assert saved == "quiet_saved"
    assert await post(laura, f"{path}/language", language="xx") == "invalid_language"
    assert await post(laura, f"{path}/language", language="en") == "language_saved"
    assert await post(laura, f"{path}/test", channel="PUSH") == "no_device"
    assert await post(laura, f"{path}/test", channel="EMAIL") == "no_contact"
    assert await post(laura, f"{path}/test", channel="INAPP") == "test_sent"
    page = await laura.get(path, headers=HTML)
    assert 'value="21:00"' in page.text
    assert 'value="06:30"' in page.text


async def test_a_contact_is_added_and_confirmed_with_forms(
    laura: httpx.AsyncClient, mailbox: MailServer
) -> None:
    person = await _fresh(laura)
    base = "/settings/notifications/contacts/email"
    assert await post(laura, f"{base}/save", value="not an address") == "invalid_email"
    address = f"laura.{secrets.token_hex(4)}@example.lv"
    assert await post(laura, f"{base}/save", value=address) == "contact_saved"
    assert await post(laura, f"{base}/verify", code="123456") == "no_code"
    assert await post(laura, f"{base}/send") == "code_sent"
    (mail,) = mailbox.to(address)
    body = mail.get_body(("plain",))
    assert body is not None
    found = re.search(r"\b(\d{6})\b", body.get_content())
    assert found is not None
    code = found.group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert await post(laura, f"{base}/verify", code=wrong) == "code_wrong"
    assert await post(laura, f"{base}/verify", code=code) == "contact_verified"
    row = await ContactPoint.select().where(ContactPoint.person == person).first().run()
    assert row is not None
    assert row["verified_at"] is not None
    assert await post(laura, "/settings/notifications/contacts/fax/save", value="1") == "not_found"
    assert await post(laura, f"{base}/remove") == "contact_removed"


async def test_a_company_matrix_is_chosen_and_saved_for_that_company(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> None:
    company = f"company:{OZOLS_TECH.registration_number}"
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as martins:
        await login_as(martins, "martins", "eparaksts")
        await _fresh(martins)
        page = await martins.get(f"/settings/notifications?subject={company}", headers=HTML)
        assert page.status_code == 200
        assert "Ozols Tech SIA" in page.text
        form = {"_csrf_token": await csrf(martins), "subject_id": company, "pref": "BENEFITS:SMS"}
        answer = await martins.post("/settings/notifications/preferences", data=form)
        assert answer.status_code == 303
        assert f"subject={company.replace(':', '%3A')}" in answer.headers["location"]
        body = await graphql(martins, SETTINGS, {"s": company})
        cells = _cells(body["data"]["notificationSettings"])  # type: ignore[index]
        assert [key for key, on in cells.items() if on] == [
            ("EADDRESS", "INAPP"),
            ("BENEFITS", "SMS"),
        ]
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as anna:
        await login_as(anna, "anna", "eparaksts")
        refused = await anna.get(f"/settings/notifications?subject={company}", headers=HTML)
        assert refused.status_code == 403


async def test_a_bank_login_is_sent_to_step_up_for_a_companys_settings(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> None:
    company = f"company:{OZOLS_TECH.registration_number}"
    step_up = "/auth/step-up?level=substantial&next=/settings/notifications%3Fsubject%3D" + (
        company.replace(":", "%3A")
    )
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as martins:
        await login_as(martins, "martins", "bank")
        before = await _company_cells(base_url, company)
        page = await martins.get(f"/settings/notifications?subject={company}", headers=HTML)
        assert (page.status_code, page.headers.get("location")) == (303, step_up)
        form = {
            "_csrf_token": await csrf(martins),
            "subject_id": company,
            "pref": "SERVICE_NEWS:SMS",
        }
        answer = await martins.post("/settings/notifications/preferences", data=form)
        assert (answer.status_code, answer.headers["location"]) == (303, step_up)
        own = await martins.get("/settings/notifications", headers=HTML)
        assert own.status_code == 200  # their own settings need no more than a bank login
    assert await _company_cells(base_url, company) == before


async def _company_cells(base_url: str, company: str) -> dict[tuple[str, str], bool]:
    """Mārtiņš's matrix for the company, read behind a strong login."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as strong:
        await login_as(strong, "martins", "eparaksts")
        body = await graphql(strong, SETTINGS, {"s": company})
    return _cells(body["data"]["notificationSettings"])  # type: ignore[index]


async def test_the_list_says_unread_in_words_and_marks_read(laura: httpx.AsyncClient) -> None:
    person = await _fresh(laura)
    ids = [uuid.uuid4(), uuid.uuid4()]
    for item_id in ids:
        await (
            InAppNotification(
                id=item_id,
                person=person,
                subject_key=f"person:{person}",
                category="account",
                kind="account.test",
                params={},
                link="/settings/notifications",
                created_at=utcnow(),
            )
            .save()
            .run()
        )
    page = await laura.get("/notifications", headers=HTML)
    assert page.status_code == 200
    assert 'data-module="live-notifications"' in page.text
    assert page.text.count('class="badge"') == 2
    assert await post(laura, "/notifications/read", id=str(ids[0])) == "read"
    page = await laura.get("/notifications", headers=HTML)
    assert page.text.count('class="badge"') == 1
    assert await post(laura, "/notifications/read", all="1") == "all_read"
    page = await laura.get("/notifications", headers=HTML)
    assert 'class="badge"' not in page.text


async def test_clearing_every_box_switches_everything_off_but_the_locked_cell(
    laura: httpx.AsyncClient,
) -> None:
    """The form then posts no `pref` at all (a cleared checkbox is not sent)."""
    await _fresh(laura)
    assert await post(laura, "/settings/notifications/preferences") == "preferences_saved"
    cells = _cells((await graphql(laura, SETTINGS))["data"]["notificationSettings"])  # type: ignore[index]
    assert [key for key, on in cells.items() if on] == [("EADDRESS", "INAPP")]
    page = await laura.get("/settings/notifications?notice=preferences_saved", headers=ENGLISH)
    assert "Your choices were saved." in page.text


async def test_marking_read_without_a_choice_or_with_a_malformed_id_says_so(
    laura: httpx.AsyncClient,
) -> None:
    await _fresh(laura)
    assert await post(laura, "/notifications/read") == "invalid_selection"
    page = await laura.get("/notifications?notice=invalid_selection", headers=ENGLISH)
    assert "Choose notifications to mark." in page.text
    assert await post(laura, "/notifications/read", id="not-an-id") == "invalid_id"
    page = await laura.get("/notifications?notice=invalid_id", headers=ENGLISH)
    assert "That notification does not exist." in page.text


async def test_a_refused_subject_is_not_echoed_into_the_address(laura: httpx.AsyncClient) -> None:
    """The form fuzz found a 20 KB `subject_id` sent back in `Location` (too long a header)."""
    await _fresh(laura)
    junk = "company:" + "9" * 20_000
    answer = await laura.post(
        "/settings/notifications/preferences",
        data={"_csrf_token": await csrf(laura), "subject_id": junk},
    )
    assert answer.status_code == 303
    assert "9999" not in answer.headers["location"]
    assert "notice=" in answer.headers["location"]
