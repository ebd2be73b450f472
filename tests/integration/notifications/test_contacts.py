"""Contact points and their verification: the code travels through the channel itself,
is stored only hashed, expires, allows few guesses, and sending it is rate-limited."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from backend.lib.db import transaction
from backend.lib.errors import BadInput, NotFound, RateLimited
from backend.lib.time import utcnow
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.preferences.addresses import InvalidEmail, InvalidPhone
from backend.notifications.preferences.contacts import (
    DeliveryUnavailable,
    list_contacts,
    send_code,
    set_contact,
    verify,
)
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, ContactPoint, Outbox
from backend.services import Services
from tests.integration.notifications.conftest import MailServer, People, drain, free_port


def code_in(mailbox: MailServer, address: str) -> str:
    mail = mailbox.to(address)[-1]
    assert mail["Subject"] == "Your Vienuviet confirmation code"
    text = mail.get_body(("plain",))
    assert text is not None
    match = re.search(r"\b(\d{6})\b", str(text.get_content()))
    assert match is not None
    return match.group(1)


async def test_an_email_is_verified_by_the_code_sent_to_it_and_only_then_gets_notices(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make(locale="en")
    address = f"Anna.{person.hex[:8]}@Example.LV"
    view = await set_contact(person, "email", address)
    assert (view.kind, view.verified, view.masked) == ("email", False, "A***@example.lv")
    stored = f"Anna.{person.hex[:8]}@example.lv"

    async with transaction(Outbox._meta.db):
        notice = Notice(
            f"eaddress.message_received:{uuid.uuid4()}",
            "eaddress.message_received",
            f"person:{person}",
        )
        await enqueue(notice, [person], settings=rt.settings.notifications)
    await drain(rt)
    assert mailbox.to(stored) == []  # unverified: nothing but its code

    await send_code(rt, person, "email")
    code = code_in(mailbox, stored)
    row = await ContactPoint.select().where(ContactPoint.person == person).first().run()
    assert row is not None
    assert code not in str(row)  # only an HMAC is stored
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(BadInput, match="4 attempt"):
        await verify(rt, person, "email", wrong)
    assert (await verify(rt, person, "email", code)).verified

    async with transaction(Outbox._meta.db):
        notice = Notice(
            f"eaddress.message_received:{uuid.uuid4()}",
            "eaddress.message_received",
            f"person:{person}",
        )
        await enqueue(notice, [person], settings=rt.settings.notifications)
    await drain(rt)
    assert [m["Subject"] for m in mailbox.to(stored)][-1] == "New official message"
    attempts = await Attempt.select(Attempt.outcome).where(Attempt.target_id == row["id"]).run()
    assert [a["outcome"] for a in attempts].count("delivered") == 2  # the code, the notice


async def test_changing_the_address_starts_over_unverified(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make()
    first = f"first.{person.hex[:8]}@example.lv"
    await set_contact(person, "email", first)
    await send_code(rt, person, "email")
    await verify(rt, person, "email", code_in(mailbox, first))
    assert (await set_contact(person, "email", first)).verified  # same address: unchanged
    changed = await set_contact(person, "email", f"second.{person.hex[:8]}@example.lv")
    assert not changed.verified
    with pytest.raises(BadInput, match="Ask for a code first"):
        await verify(rt, person, "email", "123456")


async def test_codes_expire_and_allow_only_a_few_guesses(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make()
    address = f"guess.{person.hex[:8]}@example.lv"
    await set_contact(person, "email", address)
    await send_code(rt, person, "email")
    code = code_in(mailbox, address)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(rt.settings.notifications.code_max_attempts):
        with pytest.raises(BadInput) as caught:
            await verify(rt, person, "email", wrong)
        assert caught.value.code == "code_wrong"
    with pytest.raises(BadInput) as caught:
        await verify(rt, person, "email", code)  # even the right one: the code is spent
    assert caught.value.code == "code_exhausted"

    await send_code(rt, person, "email")
    code = code_in(mailbox, address)
    await (
        ContactPoint.update({ContactPoint.code_expires_at: utcnow() - timedelta(seconds=1)})
        .where(ContactPoint.person == person)
        .run()
    )
    with pytest.raises(BadInput) as caught:
        await verify(rt, person, "email", code)
    assert caught.value.code == "code_expired"


async def test_sending_codes_is_rate_limited(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make()
    address = f"busy.{person.hex[:8]}@example.lv"
    await set_contact(person, "email", address)
    for _ in range(rt.settings.notifications.code_sends_per_hour):
        await send_code(rt, person, "email")
    with pytest.raises(RateLimited) as caught:
        await send_code(rt, person, "email")
    assert caught.value.retry_after > 0
    assert len(mailbox.to(address)) == rt.settings.notifications.code_sends_per_hour


async def test_bad_addresses_are_refused_with_a_reason_and_nothing_is_stored(
    people: People,
) -> None:
    person = await people.make()
    with pytest.raises(InvalidEmail, match="looks like"):
        await set_contact(person, "email", "anna(at)example.lv")
    with pytest.raises(InvalidPhone, match="mobile"):
        await set_contact(person, "phone", "67 000 000")
    with pytest.raises(BadInput):
        await set_contact(person, "fax", "+37120000000")
    assert await list_contacts(person) == []
    phone = await set_contact(person, "phone", "2000 1234")
    assert (phone.kind, phone.masked, phone.verified) == ("phone", "+371 ••• ••234", False)


async def test_a_code_that_cannot_be_sent_is_a_clear_error_and_is_recorded(
    rt: NotificationRuntime, services: Services, people: People
) -> None:
    person = await people.make()
    await set_contact(person, "phone", "+37120009876")
    closed = replace(
        rt.settings, sms=replace(rt.settings.sms, gateway_url=f"http://127.0.0.1:{free_port()}/sms")
    )
    unreachable = NotificationRuntime.build(
        closed, services.stores.counters, services.stores.channels_backend
    )
    try:
        with pytest.raises(DeliveryUnavailable):
            await send_code(unreachable, person, "phone")
    finally:
        await unreachable.close()
    (contact,) = await list_contacts(person)
    attempts = await Attempt.select(Attempt.outcome, Attempt.error_class).where(
        Attempt.target_id == contact.id
    )
    assert attempts == [{"outcome": "retry", "error_class": "ConnectError"}]
    with pytest.raises(NotFound):
        await send_code(rt, person, "email")
