"""The e-address demo data: idempotent, and shaped as the personas need."""

from __future__ import annotations

import uuid

from backend.eaddress.mailbox.access import OwnMailboxOnly, Reader
from backend.eaddress.mailbox.accounts import account_by_address
from backend.eaddress.mailbox.folders import Folder, list_folder, unread_count
from backend.eaddress.storage.content import sniff
from backend.eaddress.storage.records import load_message
from backend.services import Services
from integrations.devstack.personas import OZOLS_TECH, persona
from integrations.devstack.seed.eaddress import SEED_NAMESPACE, minimal_pdf, seed_eaddress
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
