"""The notification centre through GraphQL over HTTP, logged in as personas: the preference
matrix, quiet hours and language, contacts verified with the real code from the loopback SMTP
server or the sandbox SMS gateway, devices, test sends on every channel, the in-app list."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from backend.lib.time import utcnow
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import (
    ContactPoint,
    InAppNotification,
    PersonSettings,
    Preference,
    PushSubscription,
)
from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH
from tests.auth_driver import error_code, graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.notifications.conftest import MailServer, drain
from tests.push_receiver import PushReceiver
from tests.sandbox_driver import Sandbox

SETTINGS = """query($s: ID) { notificationSettings(subjectId: $s) {
  subject { id name }
  preferences { category channel enabled locked }
  quietHours { start end enabled legalBypass }
  language
  contacts { kind value masked verified healthy }
  devices { id label createdAt lastSuccessAt healthy }
  preview { subjectId category now later warning }
} }"""
SET_PREFS = """mutation($s: ID, $p: [NotificationPreferenceInput!]!) {
  setNotificationPreferences(subjectId: $s, preferences: $p) { __typename
    ... on NotificationPreferencesSaved { preferences { category channel enabled } }
    ... on InvalidInput { code } ... on ForbiddenError { code } } }"""
CONTACT_FIELDS = "__typename ... on NotificationContact { kind value verified } " + (
    "... on InvalidInput { code field } ... on NotFoundError { code }"
)
SET_CONTACT = """mutation($k: ContactKind!, $v: String!) { setContact(kind: $k, value: $v) {
  __typename ... on NotificationContact { kind value verified }
  ... on InvalidInput { code field } } }"""
SEND_CODE = f"""mutation($k: ContactKind!) {{
  sendVerificationCode(kind: $k) {{ {CONTACT_FIELDS} }} }}"""
VERIFY = f"""mutation($k: ContactKind!, $c: String!) {{
  verifyContact(kind: $k, code: $c) {{ {CONTACT_FIELDS} }} }}"""
ADD_DEVICE = """mutation($i: PushSubscriptionInput!) { addPushSubscription(input: $i) {
  __typename ... on PushDevice { id label healthy } ... on InvalidInput { code } } }"""
TEST_SEND = """mutation($c: NotificationChannel!) { sendTestNotification(channel: $c) {
  __typename ... on InvalidInput { code } } }"""
LIST = """query($after: String, $unread: Boolean!) {
  notifications(first: 2, after: $after, unreadOnly: $unread) {
    unreadCount hasMore endCursor items { id title link read } } }"""
MARK = """mutation($ids: [ID!], $all: Boolean!) { markNotificationsRead(ids: $ids, all: $all) {
  __typename ... on NotificationsMarked { marked unreadCount } ... on InvalidInput { code } } }"""


async def _fresh(client: httpx.AsyncClient) -> uuid.UUID:
    """The logged-in persona's person id, with every notification setting of theirs removed
    (personas are shared by the whole suite)."""
    body = await graphql(client, SETTINGS)
    person = uuid.UUID(str(body["data"]["notificationSettings"]["subject"]["id"])[7:])  # type: ignore[index]
    for table in (ContactPoint, Preference, PushSubscription, PersonSettings, InAppNotification):
        await table.delete().where(table.person == person).run()  # type: ignore[attr-defined]
    return person


async def _client(base_url: str, persona: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        await login_as(client, persona, "eparaksts")
        yield client


@pytest.fixture(scope="module")
async def anna(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(base_url, "anna"):
        yield client


@pytest.fixture(scope="module")
async def martins(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(base_url, "martins"):
        yield client


def _data(body: dict[str, Any], field: str) -> Any:
    assert "errors" not in body, body
    return body["data"][field]  # type: ignore[index]


def _cells(settings: dict[str, Any]) -> dict[tuple[str, str], bool]:
    return {(c["category"], c["channel"]): c["enabled"] for c in settings["preferences"]}


async def test_the_matrix_round_trips_and_locked_cells_stay_on(anna: httpx.AsyncClient) -> None:
    await _fresh(anna)
    settings = _data(await graphql(anna, SETTINGS), "notificationSettings")
    cells = _cells(settings)
    assert len(cells) == 24  # six categories × four channels
    assert cells[("EADDRESS", "INAPP")]
    assert cells[("EADDRESS", "PUSH")]
    assert not cells[("EADDRESS", "SMS")]
    assert not cells[("SERVICE_NEWS", "EMAIL")]
    locked = {(c["category"], c["channel"]) for c in settings["preferences"] if c["locked"]}
    assert locked == {("EADDRESS", "INAPP")}
    assert settings["quietHours"] == {
        "start": "22:00",
        "end": "07:00",
        "enabled": True,
        "legalBypass": False,
    }
    assert {line["category"] for line in settings["preview"]} >= {"EADDRESS", "OBLIGATIONS"}
    changes = [
        {"category": "EADDRESS", "channel": "SMS", "enabled": True},
        {"category": "REGISTRY_CHANGES", "channel": "PUSH", "enabled": False},
    ]
    saved = _data(await graphql(anna, SET_PREFS, {"p": changes}), "setNotificationPreferences")
    assert saved["__typename"] == "NotificationPreferencesSaved"
    cells = _cells(_data(await graphql(anna, SETTINGS), "notificationSettings"))
    assert cells[("EADDRESS", "SMS")]
    assert not cells[("REGISTRY_CHANGES", "PUSH")]
    refused = _data(
        await graphql(
            anna,
            SET_PREFS,
            {
                "p": [
                    {"category": "SERVICE_NEWS", "channel": "EMAIL", "enabled": True},
                    {"category": "EADDRESS", "channel": "INAPP", "enabled": False},
                ]
            },
        ),
        "setNotificationPreferences",
    )
    assert refused == {"__typename": "InvalidInput", "code": "mandatory_channel"}
    cells = _cells(_data(await graphql(anna, SETTINGS), "notificationSettings"))
    assert cells[("EADDRESS", "INAPP")]
    assert not cells[("SERVICE_NEWS", "EMAIL")]
    bad_enum = await graphql(
        anna, SET_PREFS, {"p": [{"category": "ACCOUNT", "channel": "EMAIL", "enabled": True}]}
    )
    assert error_code(bad_enum) == "GRAPHQL_VALIDATION_FAILED"


async def test_a_company_has_its_own_matrix_and_strangers_are_forbidden(
    anna: httpx.AsyncClient, martins: httpx.AsyncClient, http: httpx.AsyncClient
) -> None:
    await _fresh(martins)
    company = f"company:{OZOLS_TECH.registration_number}"
    change = [{"category": "OBLIGATIONS", "channel": "SMS", "enabled": True}]
    saved = _data(
        await graphql(martins, SET_PREFS, {"s": company, "p": change}), "setNotificationPreferences"
    )
    assert saved["__typename"] == "NotificationPreferencesSaved"
    theirs = _data(await graphql(martins, SETTINGS, {"s": company}), "notificationSettings")
    assert theirs["subject"]["name"] == "Ozols Tech SIA"
    assert _cells(theirs)[("OBLIGATIONS", "SMS")]
    own = _data(await graphql(martins, SETTINGS), "notificationSettings")
    assert not _cells(own)[("OBLIGATIONS", "SMS")]
    assert error_code(await graphql(anna, SETTINGS, {"s": company})) == "forbidden"
    stranger = await graphql(martins, SETTINGS, {"s": f"person:{uuid.uuid4()}"})
    assert error_code(stranger) == "forbidden"
    forbidden = _data(
        await graphql(anna, SET_PREFS, {"s": company, "p": change}), "setNotificationPreferences"
    )
    assert forbidden["__typename"] == "ForbiddenError"
    assert error_code(await graphql(http, SETTINGS)) == "unauthenticated"


async def test_quiet_hours_and_language_are_checked(anna: httpx.AsyncClient) -> None:
    await _fresh(anna)
    quiet = """mutation($i: QuietHoursInput!) { setQuietHours(input: $i) { __typename
      ... on QuietHours { start end enabled legalBypass } ... on InvalidInput { code field } } }"""
    wanted = {"start": "23:30", "end": "06:15", "enabled": True, "legalBypass": True}
    assert _data(await graphql(anna, quiet, {"i": wanted}), "setQuietHours") == {
        "__typename": "QuietHours",
        **wanted,
    }
    bad = _data(await graphql(anna, quiet, {"i": {**wanted, "end": "24:00"}}), "setQuietHours")
    assert bad == {"__typename": "InvalidInput", "code": "invalid_time", "field": "end"}
    language = """mutation($l: String!) { setNotificationLanguage(language: $l) { __typename
      ... on NotificationLanguageSet { language } ... on InvalidInput { code } } }"""
    assert _data(await graphql(anna, language, {"l": "de"}), "setNotificationLanguage") == {
        "__typename": "InvalidInput",
        "code": "invalid_language",
    }
    assert _data(await graphql(anna, language, {"l": "ru"}), "setNotificationLanguage") == {
        "__typename": "NotificationLanguageSet",
        "language": "ru",
    }
    settings = _data(await graphql(anna, SETTINGS), "notificationSettings")
    assert settings["language"] == "ru"
    assert settings["quietHours"] == wanted


def _code_in(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match is not None, text
    return match.group(1)


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


async def verified_email(client: httpx.AsyncClient, mailbox: MailServer) -> str:
    address = f"anna.{secrets.token_hex(4)}@example.lv"
    made = _data(await graphql(client, SET_CONTACT, {"k": "EMAIL", "v": address}), "setContact")
    assert made == {"__typename": "NotificationContact", "kind": "EMAIL", "value": address} | {
        "verified": False
    }
    sent = _data(await graphql(client, SEND_CODE, {"k": "EMAIL"}), "sendVerificationCode")
    assert sent["__typename"] == "NotificationContact"
    (mail,) = mailbox.to(address)
    body = mail.get_body(("plain",))
    assert body is not None
    code = _code_in(body.get_content())
    wrong = _data(await graphql(client, VERIFY, {"k": "EMAIL", "c": _other(code)}), "verifyContact")
    assert wrong == {"__typename": "InvalidInput", "code": "code_wrong", "field": "code"}
    right = _data(await graphql(client, VERIFY, {"k": "EMAIL", "c": code}), "verifyContact")
    assert right["verified"] is True
    return address


async def test_contacts_are_checked_and_verified_with_the_code_that_arrived(
    anna: httpx.AsyncClient, mailbox: MailServer, registry_sandbox: Sandbox
) -> None:
    person = await _fresh(anna)
    for kind, value, code in (
        ("EMAIL", "anna@@example", "invalid_email"),
        ("PHONE", "12", "invalid_phone"),
    ):
        bad = _data(await graphql(anna, SET_CONTACT, {"k": kind, "v": value}), "setContact")
        assert bad == {"__typename": "InvalidInput", "code": code, "field": "value"}
    missing = _data(await graphql(anna, SEND_CODE, {"k": "PHONE"}), "sendVerificationCode")
    assert missing["__typename"] == "NotFoundError"
    address = await verified_email(anna, mailbox)
    number = f"+3712{secrets.randbelow(10**7):07d}"
    await graphql(anna, SET_CONTACT, {"k": "PHONE", "v": number})
    await graphql(anna, SEND_CODE, {"k": "PHONE"})
    texts = (await registry_sandbox.admin.get("/admin/sms")).json()["messages"]
    (sms,) = [m for m in texts if m["to"] == number]
    code = _code_in(sms["text"])
    await (
        ContactPoint.update({ContactPoint.code_expires_at: utcnow() - timedelta(seconds=1)})
        .where((ContactPoint.person == person) & (ContactPoint.kind == "phone"))
        .run()
    )
    expired = _data(await graphql(anna, VERIFY, {"k": "PHONE", "c": code}), "verifyContact")
    assert expired["code"] == "code_expired"
    settings = _data(await graphql(anna, SETTINGS), "notificationSettings")
    assert [(c["kind"], c["value"], c["verified"]) for c in settings["contacts"]] == [
        ("EMAIL", address, True),
        ("PHONE", number, False),
    ]
    removed = await graphql(anna, "mutation { removeContact(kind: PHONE) { __typename } }")
    assert _data(removed, "removeContact") == {"__typename": "ContactRemoved"}
    again = await graphql(anna, "mutation { removeContact(kind: PHONE) { __typename } }")
    assert _data(again, "removeContact") == {"__typename": "NotFoundError"}


async def test_asking_for_codes_is_rate_limited(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> None:
    async for ilze in _client(base_url, "ilze"):
        await _fresh(ilze)
        await graphql(
            ilze, SET_CONTACT, {"k": "EMAIL", "v": f"ilze.{secrets.token_hex(4)}@example.lv"}
        )
        limit = live.settings.notifications.code_sends_per_hour
        for _ in range(limit):
            sent = _data(await graphql(ilze, SEND_CODE, {"k": "EMAIL"}), "sendVerificationCode")
            assert sent["__typename"] == "NotificationContact"
        limited = _data(await graphql(ilze, SEND_CODE, {"k": "EMAIL"}), "sendVerificationCode")
        assert limited == {"__typename": "InvalidInput", "code": "rate_limited", "field": None}


async def test_devices_and_a_test_send_on_every_channel(
    anna: httpx.AsyncClient,
    live: NotificationRuntime,
    receiver: PushReceiver,
    mailbox: MailServer,
    registry_sandbox: Sandbox,
    services: Services,
) -> None:
    await _fresh(anna)
    for channel in ("PUSH", "EMAIL", "SMS"):
        refused = _data(await graphql(anna, TEST_SEND, {"c": channel}), "sendTestNotification")
        assert refused["__typename"] == "InvalidInput"
        assert refused["code"] == ("no_device" if channel == "PUSH" else "no_contact")
    device = receiver.subscribe()
    subscription = {"endpoint": device.endpoint, "p256dh": device.p256dh, "auth": device.auth_b64}
    bad = _data(
        await graphql(anna, ADD_DEVICE, {"i": {**subscription, "p256dh": "AAAA"}}),
        "addPushSubscription",
    )
    assert bad == {"__typename": "InvalidInput", "code": "invalid_subscription"}
    services.notifications = live.__class__.build(
        services.settings,  # the app as configured: the browsers' push services only
        live.counters,
        live.channels_backend,
    )
    try:  # outside development an http:// endpoint is refused
        insecure = _data(
            await graphql(anna, ADD_DEVICE, {"i": subscription}), "addPushSubscription"
        )
    finally:
        await services.notifications.close()
        services.notifications = live
    assert insecure == {"__typename": "InvalidInput", "code": "insecure_endpoint"}
    added = _data(
        await graphql(anna, ADD_DEVICE, {"i": {**subscription, "label": "Anna's phone"}}),
        "addPushSubscription",
    )
    assert added["__typename"] == "PushDevice"
    assert added["label"] == "Anna's phone"
    address = await verified_email(anna, mailbox)
    number = f"+3712{secrets.randbelow(10**7):07d}"
    await graphql(anna, SET_CONTACT, {"k": "PHONE", "v": number})
    await graphql(anna, SEND_CODE, {"k": "PHONE"})
    texts = (await registry_sandbox.admin.get("/admin/sms")).json()["messages"]
    code = _code_in(next(m for m in texts if m["to"] == number)["text"])
    assert _data(await graphql(anna, VERIFY, {"k": "PHONE", "c": code}), "verifyContact")[
        "verified"
    ]
    for channel in ("PUSH", "EMAIL", "SMS", "INAPP"):
        queued = _data(await graphql(anna, TEST_SEND, {"c": channel}), "sendTestNotification")
        assert queued == {"__typename": "TestNotificationQueued"}
    await drain(live)
    (push,) = receiver.payloads(device)
    assert json.loads(push or b"{}")["url"].endswith("/settings/notifications")
    assert len(mailbox.to(address)) == 2  # the code, then the test
    texts = (await registry_sandbox.admin.get("/admin/sms")).json()["messages"]
    assert len([m for m in texts if m["to"] == number]) == 2
    listed = _data(await graphql(anna, LIST, {"unread": True}), "notifications")
    assert listed["unreadCount"] == 1
    assert listed["items"][0]["link"] == "/settings/notifications"
    devices = _data(await graphql(anna, SETTINGS), "notificationSettings")["devices"]
    assert devices[0]["lastSuccessAt"] is not None
    remove = """mutation($id: ID!) { removePushSubscription(id: $id) { __typename } }"""
    other = _data(await graphql(anna, remove, {"id": str(uuid.uuid4())}), "removePushSubscription")
    assert other == {"__typename": "NotFoundError"}
    gone = _data(await graphql(anna, remove, {"id": added["id"]}), "removePushSubscription")
    assert gone == {"__typename": "PushSubscriptionRemoved"}


async def test_the_in_app_list_pages_and_marks_read(
    anna: httpx.AsyncClient, martins: httpx.AsyncClient, live: NotificationRuntime
) -> None:
    person = await _fresh(anna)
    now = utcnow()
    ids = [uuid.uuid4() for _ in range(3)]
    await InAppNotification.insert(
        *[
            InAppNotification(
                id=item_id,
                person=person,
                subject_key=f"person:{person}",
                category="account",
                kind="account.test",
                params={},
                link="/settings/notifications",
                created_at=now,  # one batch: the same instant, the id breaks the tie
            )
            for item_id in ids
        ]
    ).run()
    first = _data(await graphql(anna, LIST, {"unread": False}), "notifications")
    assert first["unreadCount"] == 3
    assert first["hasMore"]
    assert len(first["items"]) == 2
    second = _data(
        await graphql(anna, LIST, {"unread": False, "after": first["endCursor"]}), "notifications"
    )
    assert not second["hasMore"]
    seen = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(seen) == sorted(str(i) for i in ids)
    bad_cursor = await graphql(anna, LIST, {"unread": False, "after": "x"})
    assert error_code(bad_cursor) == "invalid_cursor"
    theirs = await graphql(martins, MARK, {"ids": seen, "all": False})
    assert _data(theirs, "markNotificationsRead")["marked"] == 0  # not theirs to mark
    one = _data(await graphql(anna, MARK, {"ids": seen[:1], "all": False}), "markNotificationsRead")
    assert one == {"__typename": "NotificationsMarked", "marked": 1, "unreadCount": 2}
    unread = _data(await graphql(anna, LIST, {"unread": True}), "notifications")
    assert seen[0] not in [i["id"] for i in unread["items"]]
    both = _data(await graphql(anna, MARK, {"ids": seen, "all": True}), "markNotificationsRead")
    assert both["code"] == "invalid_selection"
    every = _data(await graphql(anna, MARK, {"all": True}), "markNotificationsRead")
    assert every == {"__typename": "NotificationsMarked", "marked": 2, "unreadCount": 0}


async def test_add_push_subscription_takes_no_device_of_another_person(
    anna: httpx.AsyncClient, martins: httpx.AsyncClient, receiver: PushReceiver
) -> None:
    """Mārtiņš knows the endpoint of Anna's phone, not its auth secret: addPushSubscription
    refuses and the phone stays Anna's. The browser itself (it holds the secret) may move."""
    await _fresh(anna)
    await _fresh(martins)
    phone = receiver.subscribe()
    annas = {"endpoint": phone.endpoint, "p256dh": phone.p256dh, "auth": phone.auth_b64}
    added = _data(await graphql(anna, ADD_DEVICE, {"i": annas}), "addPushSubscription")
    assert added["__typename"] == "PushDevice"
    other = receiver.subscribe()
    keys = {"p256dh": other.p256dh, "auth": other.auth_b64}
    taken = _data(
        await graphql(martins, ADD_DEVICE, {"i": {"endpoint": phone.endpoint, **keys}}),
        "addPushSubscription",
    )
    assert taken == {"__typename": "InvalidInput", "code": "subscription_taken"}
    devices = _data(await graphql(anna, SETTINGS), "notificationSettings")["devices"]
    assert [d["id"] for d in devices] == [added["id"]]
    assert _data(await graphql(martins, SETTINGS), "notificationSettings")["devices"] == []

    moved = _data(await graphql(martins, ADD_DEVICE, {"i": annas}), "addPushSubscription")
    assert (moved["__typename"], moved["id"]) == ("PushDevice", added["id"])
    assert _data(await graphql(anna, SETTINGS), "notificationSettings")["devices"] == []
