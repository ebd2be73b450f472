"""The e-address demo data: idempotent, and shaped as the personas need."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from backend.eaddress.mailbox.access import OwnMailboxOnly, Reader
from backend.eaddress.mailbox.accounts import account_by_address
from backend.eaddress.mailbox.folders import Folder, list_folder, unread_count
from backend.eaddress.storage.content import sniff
from backend.eaddress.storage.records import load_message
from backend.lib.time import riga_today
from backend.lib.workdays import riga_date
from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH, persona
from integrations.devstack.seed.eaddress import (
    SEED_NAMESPACE,
    demo_messages,
    minimal_pdf,
    seed_eaddress,
)
from integrations.devstack.seed.people import seed_people


async def test_seeding_twice_adds_nothing_the_second_time(services: Services) -> None:
    await seed_people(services.settings)  # the e-address seed builds on the people
    await seed_eaddress(services.settings, services.eaddress.blobs)
    assert await seed_eaddress(services.settings, services.eaddress.blobs) == 0

    zane, anna = persona("zane"), persona("anna")
    assert await account_by_address(f"pc:{zane.personal_code}") is None
    anna_account = await account_by_address(f"pc:{anna.personal_code}")
    assert anna_account is not None
    assert anna_account.active
    pierre = persona("pierre")
    assert await account_by_address(f"eidas:{pierre.eidas_id}") is not None
    ozols = await account_by_address(f"company:{OZOLS_TECH.registration_number}")
    assert ozols is not None

    reader = Reader(uuid.UUID(anna_account.subject_key.split(":")[1]), anna_account.subject_key)
    inbox = await list_folder(reader, OwnMailboxOnly(), Folder.INBOX)
    assert await unread_count(reader, OwnMailboxOnly()) >= 1
    with_pdf = [m for m in inbox.items if m.attachment_count]
    assert with_pdf
    record = await load_message(with_pdf[0].id)
    assert record is not None
    assert record.attachments[0].content_type == "application/pdf"

    original = uuid.uuid5(SEED_NAMESPACE, "message:ozols-vat")
    reply = await load_message(uuid.uuid5(SEED_NAMESPACE, f"reply:{original}"))
    assert reply is not None
    assert reply.thread_id == original
    assert reply.direction == "out"


def test_the_demo_pdf_is_a_pdf() -> None:
    pdf = minimal_pdf("Maksasanas pazinojums (2026)")
    assert sniff(pdf) == "application/pdf"
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"startxref" in pdf


@pytest.mark.parametrize(
    "today", [date(2026, 12, 3), date(2026, 11, 27), date(2027, 1, 10), date(2027, 3, 15)]
)
def test_the_demo_mail_is_plausible_for_its_date(today: date) -> None:
    """Issue 15: a real-estate tax payment notice arrived on 3 December for a year whose
    instalments were all paid. Municipalities send it by 15 February (Law on Real Estate Tax)."""
    messages = demo_messages(today)
    assert all(m.days_ago >= 0 for m in messages)  # nothing from the future
    notices = [m for m in messages if m.subject.startswith("Maksāšanas paziņojums")]
    assert notices
    for notice in notices:
        sent = today - timedelta(days=notice.days_ago)
        assert notice.institution == "riga"  # the municipality bills it, not VID
        assert date(sent.year, 1, 1) <= sent <= date(sent.year, 2, 15)
        assert f"{sent.year}. gadam" in notice.subject
    for reminder in (m for m in messages if m.key.startswith(("anna-decl", "martins-decl"))):
        sent = today - timedelta(days=reminder.days_ago)
        assert date(sent.year, 2, 1) <= sent <= date(sent.year, 6, 1)  # before the season ends
        assert f"par {sent.year - 1}. gadu" in reminder.body
    # Pierre does not live here: nothing about a residence permit.
    (pierre,) = [m for m in messages if m.to == "pierre"]
    assert "uzturēšanās atļauj" not in pierre.body


async def test_the_seeded_tax_notice_comes_from_the_municipality_in_february(
    services: Services,
) -> None:
    await seed_people(services.settings)
    await seed_eaddress(services.settings, services.eaddress.blobs)
    today = riga_today()
    year = today.year if today >= date(today.year, 2, 6) else today.year - 1
    key = f"message:anna-property-tax-{year}"
    record = await load_message(uuid.uuid5(SEED_NAMESPACE, key))
    assert record is not None
    sent = riga_date(record.sent_at)
    assert (sent.month, sent.day <= 15) == (2, True)
    assert record.institution_name == "Rīgas valstspilsētas pašvaldība"
