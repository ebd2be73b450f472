"""Preferences per subject, quiet hours and language stored and read back; the preview runs
the engine's own decision; test messages; the operator report; events → notices."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backend.auth.subjects import Scope
from backend.auth.tables import Delegation
from backend.lib.db import transaction
from backend.lib.errors import BadInput
from backend.lib.time import RIGA, utcnow
from backend.notifications.engine.consumer import handle_event
from backend.notifications.engine.decide import Reason
from backend.notifications.engine.recipients import IdentityRecipients
from backend.notifications.model import Channel
from backend.notifications.preferences import choices as preferences
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.service import delivery_status, send_test
from backend.notifications.tables import Outbox, UndeliveredNotice
from backend.services import event_handlers
from backend.settings import Settings
from tests.identities import unique_personal_code
from tests.integration.notifications.conftest import (
    MailServer,
    People,
    add_contact,
    add_device,
    drain,
    outbox_rows,
)
from tests.push_receiver import PushReceiver


async def test_choices_per_subject_with_defaults_filled_in(people: People) -> None:
    person = await people.make()
    me, firm = f"person:{person}", "company:40003123456"
    await preferences.set_preference(person, firm, "eaddress", "sms", True)
    await preferences.set_preference(person, firm, "eaddress", "sms", True)  # idempotent
    await preferences.set_preference(person, me, "service_news", "email", True)
    mine = await preferences.preferences_matrix(person, me)
    theirs = await preferences.preferences_matrix(person, firm)
    assert mine["service_news"]["email"] is True
    assert mine["eaddress"]["sms"] is False  # the default, for myself
    assert theirs["eaddress"]["sms"] is True  # chosen for the company only
    assert theirs["service_news"]["email"] is False
    with pytest.raises(BadInput) as caught:
        await preferences.set_preference(person, me, "eaddress", "inapp", False)
    assert caught.value.code == "mandatory_channel"
    for bad in (("news", "email"), ("eaddress", "pigeon"), ("account", "email")):
        with pytest.raises(BadInput):
            await preferences.set_preference(person, me, *bad, True)


async def test_quiet_hours_and_language_are_validated_and_kept(people: People) -> None:
    person = await people.make(locale="ru")
    assert (await preferences.person_choices([person]))[person].language == "ru"
    choices = await preferences.update_choices(
        person, language="en", quiet_start_min=23 * 60, quiet_end_min=6 * 60 + 30
    )
    assert (choices.language, choices.quiet.start_min, choices.quiet.end_min) == ("en", 1380, 390)
    choices = await preferences.update_choices(person, legal_bypass_quiet=True)
    assert choices.quiet.legal_bypass
    assert choices.language == "en"  # untouched fields stay
    with pytest.raises(BadInput):
        await preferences.update_choices(person, language="de")
    with pytest.raises(BadInput):
        await preferences.update_choices(person, quiet_start_min=24 * 60)


async def test_preview_shows_what_would_reach_me_where(
    people: People, receiver: PushReceiver
) -> None:
    person = await people.make()
    await add_device(person, receiver.subscribe())
    await add_contact(person, "email", f"p.{person.hex[:8]}@example.lv", verified=False)
    night = datetime(2030, 1, 15, 23, 0, tzinfo=RIGA).astimezone(UTC)
    lines = await preferences.preview_for(
        person, [f"person:{person}", "company:40003123456"], now=night
    )
    mine = next(
        ln for ln in lines if ln.subject_key == f"person:{person}" and ln.category == "eaddress"
    )
    assert mine.now == (Channel.INAPP,)
    assert mine.later == (Channel.PUSH,)
    assert mine.deliver_later_at == datetime(2030, 1, 16, 7, 0, tzinfo=RIGA).astimezone(UTC)
    assert mine.skipped[Channel.EMAIL] is Reason.UNVERIFIED


async def test_a_test_message_goes_the_whole_way_on_the_chosen_channel(
    rt: NotificationRuntime, people: People, mailbox: MailServer, receiver: PushReceiver
) -> None:
    person = await people.make(locale="en")
    address = f"t.{person.hex[:8]}@example.lv"
    with pytest.raises(BadInput) as caught:
        await send_test(rt, person, "email")
    assert caught.value.code == "no_contact"
    await add_contact(person, "email", address, verified=False)
    with pytest.raises(BadInput) as caught:
        await send_test(rt, person, "email")
    assert caught.value.code == "unverified"
    device = receiver.subscribe()
    await add_device(person, device)
    outbox_id = await send_test(rt, person, "push")
    await drain(rt)
    (payload,) = receiver.payloads(device)
    assert payload is not None
    assert b"Test notification" in payload
    statuses = await Outbox.select(Outbox.status).where(Outbox.id == outbox_id).run()
    assert statuses == [{"status": "sent"}]


async def test_report_undelivered_lists_ids_reason_and_age_and_no_personal_data(
    settings: Settings, people: People
) -> None:
    person = await people.make()
    key = f"eaddress.message_received:{uuid.uuid4()}"
    await (
        UndeliveredNotice(
            event_key=key,
            person=person,
            reason="contact_unverified",
            created_at=utcnow() - timedelta(hours=3, minutes=5),
        )
        .save()
        .run()
    )
    env = {**os.environ, "DATABASE_URL": settings.database.url, "SECRET_KEY": "x" * 40}
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "backend.cli", "report", "undelivered"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if str(person) in ln]
    assert "contact_unverified" in line
    assert "3h 5m" in line or "3h 4m" in line or "3h 6m" in line
    assert key in line
    assert "Bērziņa" not in result.stdout
    assert "Anna" not in result.stdout


@dataclass(frozen=True)
class Event:
    """Shaped like `backend.events.service.EventRecord` (the e-address branch)."""

    kind: str
    subject_key: str
    payload: dict[str, Any] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)


async def test_an_eaddress_event_for_a_company_reaches_its_delegates_with_view_scope(
    rt: NotificationRuntime, people: People
) -> None:
    company = f"4000{secrets.randbelow(10**7):07d}"
    codes = [unique_personal_code() for _ in range(3)]
    grantor = await people.make(personal_code=codes[0])
    viewer = await people.make(personal_code=codes[1])
    sender_only = await people.make(personal_code=codes[2])
    now = utcnow()
    for code, scopes in ((codes[1], "view_mail"), (codes[2], "send_mail")):
        await (
            Delegation(
                company_number=company,
                company_name="SIA Piemērs",
                grantor=grantor,
                grantee_personal_code=code,
                scopes=scopes,
                valid_from=now - timedelta(days=1),
                valid_until=now + timedelta(days=30),
            )
            .save()
            .run()
        )
    try:
        recipients = await IdentityRecipients().recipients(f"company:{company}", Scope.VIEW_MAIL)
        assert recipients == [viewer]
        event = Event("eaddress.message_received", f"company:{company}", {"message_id": "m-1"})
        async with transaction(Outbox._meta.db):
            result = await handle_event(
                event, IdentityRecipients(), rt.settings.notifications, event_handlers()
            )
        assert result is not None
        rows = await outbox_rows(viewer)
        assert [(r["channel"], r["link"]) for r in rows] == [("inapp", "/mail/messages/m-1")]
        assert await outbox_rows(sender_only) == []
        status = await delivery_status(f"eaddress.message_received:{event.id}")
        assert status == {str(viewer): {"inapp": "pending"}}
        assert "eaddress.message_received" in event_handlers()
        unknown = Event("eaddress.attachment_scanned", f"company:{company}")
        async with transaction(Outbox._meta.db):
            assert (
                await handle_event(
                    unknown, IdentityRecipients(), rt.settings.notifications, event_handlers()
                )
                is None
            )
    finally:
        await Delegation.delete().where(Delegation.company_number == company).run()


async def test_consuming_real_domain_events(rt: NotificationRuntime, people: People) -> None:
    from backend.events import service
    from backend.notifications.engine.consumer import consume

    async def drain() -> int:
        handled, total = 1, 0
        while handled:
            handled = await consume(
                IdentityRecipients(), rt.settings.notifications, handlers=event_handlers()
            )
            total += handled
        return total

    # Earlier tests (e-address sends, activations) leave events behind: more than one batch.
    await drain()
    person = await people.make()
    async with transaction(Outbox._meta.db):
        await service.record_event(
            "eaddress.message_received", f"person:{person}", {"message_id": "m-2"}
        )
    assert await drain() == 1
    assert [r["channel"] for r in await outbox_rows(person)] == ["inapp"]
    assert await drain() == 0
