"""E-mail through a real SMTP server on loopback (aiosmtpd): multipart in the person's
language, List-Unsubscribe only where allowed, no content in e-address notices, bounces."""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx

from backend.lib.db import transaction
from backend.notifications.channels.smtp import parse_smtp_url
from backend.notifications.engine.enqueue import Notice, enqueue
from backend.notifications.model import Category
from backend.notifications.preferences.choices import preferences_matrix, set_preference
from backend.notifications.preferences.unsubscribe import make_token
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, ContactPoint, Outbox
from tests.integration.notifications.conftest import (
    MailServer,
    People,
    add_contact,
    drain,
    free_port,
    outbox_rows,
)

SECRET_SUBJECT = "Soda nauda 300 EUR par ātruma pārsniegšanu"
SECRET_BODY = "Jums jāsamaksā līdz 2026-12-01, lietas nr. 12345"


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


async def _send(rt: NotificationRuntime, person: uuid.UUID, notice: Notice) -> None:
    async with transaction(Outbox._meta.db):
        await enqueue(notice, [person], settings=rt.settings.notifications)
    await drain(rt)


async def test_eaddress_notice_says_a_message_waits_and_nothing_of_its_content(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make(locale="en")
    address = f"anna.{person.hex[:8]}@example.lv"
    await add_contact(person, "email", address)
    message_id = uuid.uuid4()
    # A careless producer hands over the message itself: it must not get through.
    notice = Notice(
        f"eaddress.message_received:{message_id}",
        "eaddress.message_received",
        f"person:{person}",
        params={"subject": SECRET_SUBJECT, "body": SECRET_BODY, "sender": "Valsts policija"},
        link=f"/eaddress/messages/{message_id}",
    )
    await _send(rt, person, notice)

    (mail,) = mailbox.to(address)
    text, html = parts(mail)
    assert mail["Subject"] == "New official message"
    assert "A new official message is waiting in your e-address." in text
    assert f"{rt.public_url}/eaddress/messages/{message_id}" in text
    assert f'href="{rt.public_url}/eaddress/messages/{message_id}"' in html
    everything = " ".join([text, html, *(str(value) for value in mail.values())])
    for secret in (SECRET_SUBJECT, SECRET_BODY, "Valsts policija", "300 EUR", "12345"):
        assert secret not in everything
    assert "List-Unsubscribe" not in mail  # legal notices are never one click away from gone
    assert "List-Unsubscribe-Post" not in mail
    assert mail["Auto-Submitted"] == "auto-generated"
    (row,) = [r for r in await outbox_rows(person) if r["channel"] == "email"]
    assert row["params"] in ({}, "{}")  # nothing of the message was even stored


async def test_other_notices_are_multipart_with_one_click_unsubscribe_that_works(
    rt: NotificationRuntime, mailbox: MailServer, people: People, http: httpx.AsyncClient
) -> None:
    person = await people.make(locale="en")
    address = f"janis.{person.hex[:8]}@example.lv"
    await add_contact(person, "email", address)
    subject = f"person:{person}"
    notice = Notice(
        f"benefits.suggestion:{uuid.uuid4()}",
        "benefits.suggestion",
        subject,
        params={"title": "Parent's benefit & more"},
        link="/benefits",
    )
    await _send(rt, person, notice)

    (mail,) = mailbox.to(address)
    text, html = parts(mail)
    assert mail.get_content_type() == "multipart/alternative"
    assert "Parent's benefit & more — see whether it applies to you." in text  # not escaped
    assert "Parent&#39;s benefit &amp; more" in html  # escaped
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{rt.public_url}/notifications/unsubscribe/")
    assert url in text

    english = {"accept-language": "en"}  # the page speaks the browser's language
    page = await http.get(url.removeprefix(rt.public_url), headers=english)
    assert page.status_code == 200
    assert "Stop e-mails about benefits and opportunities?" in page.text
    assert (await preferences_matrix(person, subject))["benefits"]["email"] is True
    # RFC 8058: the mail client POSTs, without cookies or CSRF token.
    done = await http.post(
        url.removeprefix(rt.public_url),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded", **english},
    )
    assert done.status_code == 200
    assert "You will no longer receive e-mails about benefits" in done.text
    matrix = await preferences_matrix(person, subject)
    assert matrix["benefits"]["email"] is False
    assert matrix["eaddress"]["email"] is True  # only that category, only e-mail


async def test_forged_or_legal_unsubscribe_links_are_refused(
    rt: NotificationRuntime, http: httpx.AsyncClient, people: People
) -> None:
    person = await people.make()
    token = make_token(rt.settings.web.secret_key, person, f"person:{person}", Category.BENEFITS)
    body, _, signature = token.partition(".")
    forged = f"{body}.{signature[:-2]}xx"
    response = await http.post(f"/notifications/unsubscribe/{forged}")
    assert response.status_code == 400
    other_key = make_token("another-secret-key-" * 3, person, f"person:{person}", Category.BENEFITS)
    assert (await http.get(f"/notifications/unsubscribe/{other_key}")).status_code == 400
    # A signature with letters beyond ASCII: hmac.compare_digest raised TypeError (a 500).
    beyond_ascii = f"{body}.{'ā' * len(signature)}"
    for method in ("GET", "POST"):
        answer = await http.request(method, f"/notifications/unsubscribe/{beyond_ascii}")
        assert answer.status_code == 400, method
    await set_preference(person, f"person:{person}", "benefits", "email", True)
    assert (await preferences_matrix(person, f"person:{person}"))["benefits"]["email"] is True


async def test_language_follows_the_persons_choice(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make(locale="lv")
    address = f"lv.{person.hex[:8]}@example.lv"
    await add_contact(person, "email", address)
    notice = Notice(
        f"obligations.reminder:{uuid.uuid4()}",
        "obligations.reminder",
        f"person:{person}",
        params={"title": "Gada ienākumu deklarācija", "due_on": "2027-06-01"},
    )
    await _send(rt, person, notice)
    (mail,) = mailbox.to(address)
    assert mail["Content-Language"] == "lv"
    text, _ = parts(mail)
    # Dates are written the Latvian way even before the lv catalog lands.
    assert "2027. gada 1. jūnijs" in text


async def test_a_bouncing_address_becomes_unhealthy_and_the_person_is_told(
    rt: NotificationRuntime, mailbox: MailServer, people: People
) -> None:
    person = await people.make(locale="en")
    address = f"gone.{person.hex[:8]}@example.lv"
    contact_id = await add_contact(person, "email", address)
    mailbox.refuse.add(address)
    for n in range(rt.settings.notifications.unhealthy_after):
        await _send(
            rt,
            person,
            Notice(
                f"obligations.reminder:{uuid.uuid4()}",
                "obligations.reminder",
                f"person:{person}",
                params={"title": f"Report {n}", "due_on": "2027-01-01"},
            ),
        )
    contact = await ContactPoint.select().where(ContactPoint.id == contact_id).first().run()
    assert contact is not None
    assert contact["unhealthy_since"] is not None
    assert contact["unhealthy_reason"] == "SMTPRecipientsRefused"
    attempts = await Attempt.select(Attempt.outcome, Attempt.status_code).where(
        Attempt.target_id == contact_id
    )
    assert attempts == [{"outcome": "failed", "status_code": 550}] * 3
    rows = await outbox_rows(person)
    told = [r for r in rows if r["kind"] == "account.channel_unhealthy"]
    assert [r["channel"] for r in told] == ["inapp"]  # no other healthy channel to use
    assert "g***@example.lv" in str(told[0]["params"])
    assert mailbox.to(address) == []


def test_smtp_urls() -> None:
    assert parse_smtp_url("smtp://127.0.0.1:8025").mode == "plain"
    tls = parse_smtp_url("smtps://user%40x:p%3Ass@mail.example")
    assert (tls.host, tls.port, tls.mode, tls.username, tls.password) == (
        "mail.example",
        465,
        "tls",
        "user@x",
        "p:ss",
    )
    assert parse_smtp_url("smtp+starttls://mail.example").port == 587


async def test_the_development_mail_sink_keeps_each_message_as_an_eml_file(
    tmp_path: Path,
) -> None:
    from aiosmtpd.controller import Controller

    from integrations.devstack.mailsink import SaveToDirectory

    port = free_port()
    controller = Controller(SaveToDirectory(tmp_path / "mail"), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@x.example", "b@x.example", "Sveiki"
        message.set_content("Labdien, ā č ē")
        await asyncio.to_thread(_send_plain, port, message)
    finally:
        controller.stop()
    (saved,) = (tmp_path / "mail").glob("*.eml")
    parsed = message_from_bytes(saved.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Sveiki"
    assert "Labdien, ā č ē" in str(parsed.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def _send_plain(port: int, message: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message)
