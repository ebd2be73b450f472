"""SMS end to end against the registry sandbox's gateway stand-in (its contract:
integrations/devstack/sandbox/README.md)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from backend.lib.db import transaction
from backend.notifications.channels.sms_gateway import SmsSender
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.preferences.choices import set_preference
from backend.notifications.preferences.contacts import send_code, set_contact, verify
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Outbox
from backend.services import Services
from integrations.devstack.sandbox import app as sandbox_app
from integrations.devstack.sandbox import settings as sandbox_settings
from tests.integration.notifications.conftest import People, drain, outbox_rows
from tests.servers import serve

ADMIN = {"Authorization": "Bearer sandbox-admin"}


@pytest.fixture(scope="module")
async def gateway() -> AsyncIterator[str]:
    settings = sandbox_settings.SandboxSettings(latency_ms=sandbox_settings.ZERO_LATENCY)
    async with serve(sandbox_app.create_sandbox_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
async def sms_rt(
    rt: NotificationRuntime, services: Services, gateway: str
) -> AsyncIterator[NotificationRuntime]:
    settings = replace(rt.settings, sms=replace(rt.settings.sms, gateway_url=f"{gateway}/sms"))
    runtime = NotificationRuntime.build(
        settings, services.stores.counters, services.stores.channels_backend
    )
    try:
        yield runtime
    finally:
        await runtime.close()


async def recorded(gateway: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=gateway, headers=ADMIN) as admin:
        response = await admin.get("/admin/sms")
    response.raise_for_status()
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


async def test_a_verified_phone_gets_the_notice_exactly_as_the_gateway_records_it(
    sms_rt: NotificationRuntime, gateway: str, people: People
) -> None:
    person = await people.make(locale="en")
    number = f"+3712{uuid.uuid4().int % 10**7:07d}"
    await set_contact(person, "phone", number)
    await send_code(sms_rt, person, "phone")
    (code_sms,) = [m for m in await recorded(gateway) if m["to"] == number]
    code = code_sms["text"].split(": ")[1][:6]
    assert (await verify(sms_rt, person, "phone", code)).verified
    await set_preference(person, f"person:{person}", "eaddress", "sms", True)
    async with transaction(Outbox._meta.db):
        notice = Notice(
            f"eaddress.message_received:{uuid.uuid4()}",
            "eaddress.message_received",
            f"person:{person}",
            link="/eaddress",
        )
        await enqueue(notice, [person], settings=sms_rt.settings.notifications)
    await drain(sms_rt)
    texts = [m["text"] for m in await recorded(gateway) if m["to"] == number]
    assert texts[-1] == (
        "Vienuviet: a new official message is waiting in your e-address: "
        f"{sms_rt.public_url}/eaddress"
    )
    assert {m["sender"] for m in await recorded(gateway) if m["to"] == number} == {"Vienuviet"}
    (row,) = [r for r in await outbox_rows(person) if r["channel"] == "sms"]
    assert row["status"] == "sent"


async def test_the_gateway_outcomes_map_to_retry_refusal_and_blame(
    sms_rt: NotificationRuntime, gateway: str
) -> None:
    sender = SmsSender(sms_rt.settings.sms)
    try:
        assert (await sender.send("+37120000001", "Labdien! Jauna ziņa.")).outcome == "delivered"
        refused = await sender.send("+37120000001", "ā" * 300)
        assert (refused.outcome, refused.error_class) == ("refused", "SmsTooLong")
        bad_number = await sender.send("+0", "hello")
        assert (bad_number.outcome, bad_number.recipient_fault) == ("failed", True)
        async with httpx.AsyncClient(base_url=gateway, headers=ADMIN) as admin:
            await admin.put("/admin/faults/sms_gateway", json={"down": True})
            try:
                down = await sender.send("+37120000001", "hello")
            finally:
                await admin.delete("/admin/faults/sms_gateway")
        assert (down.outcome, down.status, down.retry_after_s) == ("retry", 503, 30)
        wrong_key = SmsSender(replace(sms_rt.settings.sms, token="wrong"))
        try:
            assert (await wrong_key.send("+37120000001", "x")).error_class == "gateway_unauthorized"
        finally:
            await wrong_key.close()
    finally:
        await sender.close()
