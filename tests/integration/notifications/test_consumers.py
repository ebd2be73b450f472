"""Producers → consumer → engine, with the producers' own event kinds and payloads: an
e-address message sent through the institution API, an obligation reminder, a person declared
at my property. Each ends as a delivered notice (and, for the message, `notified` receipts)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import httpx

from backend.applications import service as applications
from backend.applications.forms import form_for
from backend.dashboard.changes import PERSON_DECLARED
from backend.eaddress.storage.receipts import receipt_chain
from backend.events.service import record_event
from backend.lib.db import transaction
from backend.lib.texts import Text
from backend.notifications.channels.inapp import list_items
from backend.notifications.engine.consumer import consume
from backend.notifications.engine.recipients import IdentityRecipients
from backend.notifications.preferences.choices import set_preference
from backend.notifications.render.messages import in_language
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Outbox
from backend.obligations.reminders import EVENT_KIND as REMINDER_EVENT
from backend.obligations.tables import Reminder
from backend.services import event_handlers
from tests.integration.eaddress.conftest import (
    Api,
    fetch_token,
    make_institution,
    make_person,
    message_json,
)
from tests.integration.notifications.conftest import (
    MailServer,
    People,
    add_contact,
    add_device,
    drain,
    outbox_rows,
)
from tests.push_receiver import PushReceiver


async def _consume_all(rt: NotificationRuntime) -> None:
    handlers = event_handlers()
    while await consume(IdentityRecipients(), rt.settings.notifications, handlers=handlers):
        pass


async def test_a_message_from_an_institution_is_notified_and_its_receipts_say_so(
    rt: NotificationRuntime, receiver: PushReceiver, http: httpx.AsyncClient
) -> None:
    holder = await make_person()
    device = receiver.subscribe()
    await add_device(holder.person_id, device)
    institution = await make_institution()
    api = Api(http, await fetch_token(http, institution))
    sent = await api.send(message_json(holder.recipient))
    assert sent.status_code == 201, sent.text
    message_id = uuid.UUID(sent.json()["id"])
    assert (await receipt_chain(message_id)).notified == []
    await _consume_all(rt)
    await drain(rt)
    (item,) = await list_items(holder.person_id, rt.public_url)
    assert item.kind == "eaddress.message_received"
    assert item.link == f"/mail/messages/{message_id}"
    assert "Paziņojums" not in item.title + item.body  # no message content, ever
    (push,) = [r for r in receiver.received if r.subscription == device.id]
    assert json.loads(push.payload or b"{}")["url"].endswith(f"/mail/messages/{message_id}")
    chain = await receipt_chain(message_id)
    assert {entry.channel for entry in chain.notified} == {"inapp", "webpush"}
    assert chain.status == "notified"


async def _reminder(
    subject_key: str, *, escalate: bool, title_text: Text | None = None
) -> uuid.UUID:
    """A reminder row and its event, shaped exactly as backend/obligations/reminders.py
    writes them (without `title_text`: a row from before reminders kept their text)."""
    key = f"vid.property_tax:{uuid.uuid4()}:7"
    async with transaction(Reminder._meta.db):
        (row,) = await (
            Reminder.insert(
                Reminder(
                    key=key,
                    subject_key=subject_key,
                    obligation_id="vid.property_tax",
                    rule="vid.property_tax",
                    title="Real estate tax, 2nd payment",
                    title_text=None if title_text is None else title_text.to_json(),
                    action_url="https://eds.vid.gov.lv/",
                    due_date=date(2027, 5, 17),
                    step=7,
                    escalate=escalate,
                )
            )
            .returning(Reminder.id)
            .run()
        )
        await record_event(
            REMINDER_EVENT,
            subject_key,
            {
                "reminder_id": str(row["id"]),
                "obligation_id": "vid.property_tax",
                "rule": "vid.property_tax",
                "step": 7,
                "due_date": "2027-05-17",
                "escalate": escalate,
            },
            dedup_key=f"{REMINDER_EVENT}:{key}",
        )
    return uuid.UUID(str(row["id"]))


async def test_a_reminder_becomes_a_notice_with_its_title_and_escalates_when_told(
    rt: NotificationRuntime, people: People
) -> None:
    calm, urgent = await people.make(), await people.make()
    for person in (calm, urgent):
        await add_contact(person, "email", f"{person}@example.lv")
        # The person wants deadlines in-app only: e-mail off.
        await set_preference(person, f"person:{person}", "obligations", "email", False)
    await _reminder(f"person:{calm}", escalate=False)
    await _reminder(f"person:{urgent}", escalate=True)
    await _consume_all(rt)
    assert [r["channel"] for r in await outbox_rows(calm)] == ["inapp"]
    # A legal deadline close and unacknowledged: e-mail as well, despite the choice.
    assert [r["channel"] for r in await outbox_rows(urgent)] == ["email", "inapp"]
    await drain(rt)
    with in_language("en"):
        (item,) = await list_items(calm, rt.public_url)
    assert item.kind == "obligations.reminder"
    assert item.link == "/obligations"
    assert item.title == "Deadline approaching"
    assert item.body.startswith("Real estate tax, 2nd payment: due on")
    statuses = {r["channel"]: r["status"] for r in await outbox_rows(urgent)}
    assert statuses == {"email": "sent", "inapp": "sent"}


async def test_a_reminder_speaks_each_recipients_language(
    rt: NotificationRuntime, people: People, mailbox: MailServer
) -> None:
    """The reminder row keeps its title as msgid and parameters: each recipient's e-mail is
    written in their own language, dates too."""
    title = Text("Technical inspection: {vehicle}", vehicle="Toyota Yaris (KA-1234)")
    expected = {
        "lv": "Valsts tehniskā apskate: Toyota Yaris (KA-1234): termiņš 2027. gada 17. maijs.",
        # The date ends in "г." already: the sentence adds no second full stop.
        "ru": "Государственный техосмотр: Toyota Yaris (KA-1234): срок — 17 мая 2027\u202fг.\n",
        "en": "Technical inspection: Toyota Yaris (KA-1234): due on 17 May 2027.",
    }
    addresses = {}
    for language in expected:
        person = await people.make(locale=language)
        addresses[language] = f"{language}.{person.hex[:8]}@example.lv"
        await add_contact(person, "email", addresses[language])
        await _reminder(f"person:{person}", escalate=True, title_text=title)
    await _consume_all(rt)
    await drain(rt)
    for language, text in expected.items():
        (mail,) = mailbox.to(addresses[language])
        body = mail.get_body(("plain",))
        assert body is not None
        assert text in str(body.get_content()), language


async def test_a_person_declared_at_my_property_reaches_me(
    rt: NotificationRuntime, people: People
) -> None:
    person = await people.make()
    async with transaction(Outbox._meta.db):
        await record_event(
            PERSON_DECLARED,
            f"person:{person}",
            {"change_id": str(uuid.uuid4()), "source": "pmlp", "declared_on": "2026-11-20"},
        )
    await _consume_all(rt)
    await drain(rt)
    (item,) = await list_items(person, rt.public_url)
    assert item.kind == "registry.person_declared"
    assert item.category == "registry_changes"
    assert item.link == "/"


async def test_a_sent_application_is_told_in_the_category_my_applications(
    rt: NotificationRuntime, people: People
) -> None:
    person = await people.make()
    form = form_for("declare-residence")
    assert form is not None
    record = await applications.save(
        f"person:{person}",
        person,
        applications.personal_form(form, None),
        {"new_address": "Elizabetes iela 2, Rīga", "moved_on": "2026-11-20", "basis": "tenancy"},
        uuid.uuid4().hex,
        submit=True,
        today=date(2026, 12, 5),
    )
    await _consume_all(rt)
    await drain(rt)
    with in_language("en"):
        (item,) = await list_items(person, rt.public_url)
    assert item.kind == "applications.status_changed"
    assert item.category == "applications"
    assert item.link == f"/applications/{record.id}"
    assert "Sent to the institution" in item.body
