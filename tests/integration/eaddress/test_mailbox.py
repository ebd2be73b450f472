"""The mailbox service functions the GraphQL layer will wrap: folders, pages, unread counts,
archive, search with Latvian diacritics, and activating a person's e-address."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from backend.eaddress.mailbox.access import OwnMailboxOnly, Reader
from backend.eaddress.mailbox.folders import Folder, list_folder, search, unread_count
from backend.eaddress.mailbox.holder import (
    activate,
    deactivate,
    eaddress_status,
    open_message,
    reply,
    set_archived,
)
from backend.eaddress.tables import Message
from backend.events.tables import DomainEvent
from backend.lib.errors import Forbidden, NotFound, Unprocessable
from backend.lib.time import riga_today
from backend.services import Services
from tests.integration.eaddress.conftest import Api, Holder, make_company, make_person, message_json

ACCESS = OwnMailboxOnly()


async def _send(api: Api, holder: Holder, subject: str, body: str = "Teksts.") -> uuid.UUID:
    response = await api.send(message_json(holder.recipient, subject=subject, body=body))
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def test_folders_page_newest_first_and_count_unread(api: Api, holder: Holder) -> None:
    ids = [await _send(api, holder, f"Vēstule {i}") for i in range(5)]
    assert await unread_count(holder.reader, ACCESS) == 5
    seen: list[uuid.UUID] = []
    after = None
    while True:
        page = await list_folder(holder.reader, ACCESS, Folder.INBOX, after=after, limit=2)
        seen += [item.id for item in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == list(reversed(ids))

    await open_message(holder.reader, ACCESS, ids[0])
    assert await unread_count(holder.reader, ACCESS) == 4
    page = await list_folder(holder.reader, ACCESS, Folder.INBOX, limit=10)
    assert [i.unread for i in page.items] == [True, True, True, True, False]

    await set_archived(holder.reader, ACCESS, ids[1], True)
    await set_archived(holder.reader, ACCESS, ids[1], True)  # idempotent
    archive = await list_folder(holder.reader, ACCESS, Folder.ARCHIVE)
    assert [i.id for i in archive.items] == [ids[1]]
    assert archive.items[0].archived
    assert await unread_count(holder.reader, ACCESS) == 3
    inbox = await list_folder(holder.reader, ACCESS, Folder.INBOX)
    assert ids[1] not in [i.id for i in inbox.items]
    await set_archived(holder.reader, ACCESS, ids[1], False)
    assert len((await list_folder(holder.reader, ACCESS, Folder.INBOX)).items) == 5


async def test_replies_land_in_the_sent_folder(
    api: Api, holder: Holder, services: Services
) -> None:
    original = await _send(api, holder, "Jautājums")
    reply_id = await reply(holder.reader, ACCESS, original, "Atbildu.", services.eaddress.settings)
    sent = await list_folder(holder.reader, ACCESS, Folder.SENT)
    assert [i.id for i in sent.items] == [reply_id]
    assert sent.items[0].subject == "Re: Jautājums"
    assert not sent.items[0].unread


async def test_search_matches_words_with_or_without_diacritics(api: Api, holder: Holder) -> None:
    notice = await _send(api, holder, "Paziņojums par nodokli", "Jums jāmaksā līdz 23. jūnijam.")
    decision = await _send(api, holder, "LĒMUMS", "Par deklarēto dzīvesvietu.")
    await _send(api, holder, "Atgādinājums", "Cits teksts.")
    for query, expected in [
        ("paziņojums", [notice]),
        ("PAZIŅOJUMS", [notice]),
        ("pazinojums", [notice]),
        ("paziņ", [notice]),
        ("lēmums", [decision]),
        ("lemums dzīvesvietu", [decision]),
        ("jāmaksā jūnijam", [notice]),
        ("nodokli lēmums", []),
        ("neesošs", []),
    ]:
        page = await search(holder.reader, ACCESS, query)
        assert [i.id for i in page.items] == expected, query
    with pytest.raises(Exception) as caught:  # noqa: PT011 - BadInput
        await search(holder.reader, ACCESS, " ?! ")
    assert getattr(caught.value, "code", None) == "empty_query"
    stranger = await make_person()
    assert (await search(stranger.reader, ACCESS, "paziņojums")).items == []


async def test_messages_are_immutable_in_the_database(api: Api, holder: Holder) -> None:
    message_id = await _send(api, holder, "Nemainīgs")
    with pytest.raises(Exception, match="immutable"):
        await Message.update({Message.subject: "Mainīts"}).where(Message.id == message_id).run()
    row = await Message.select(Message.subject).where(Message.id == message_id).first().run()
    assert row == {"subject": "Nemainīgs"}


async def test_activation_and_deactivation_keep_their_moments_and_raise_events(
    api: Api,
) -> None:
    person = await make_person(activate=False)
    reader = person.reader
    assert await eaddress_status(reader, ACCESS) is None
    refused = await api.send(message_json(person.recipient))
    assert refused.json()["code"] == "no_active_eaddress"
    with pytest.raises(NotFound):
        await list_folder(reader, ACCESS, Folder.INBOX)

    account = await activate(reader, ACCESS)
    assert account.active
    assert (await api.send(message_json(person.recipient))).status_code == 201
    off = await deactivate(reader, ACCESS)
    assert off.deactivated_at is not None
    assert off.deactivated_at >= off.activated_at
    assert (await api.send(message_json(person.recipient))).json()["code"] == "no_active_eaddress"
    # History stays readable after deactivation.
    assert len((await list_folder(reader, ACCESS, Folder.INBOX)).items) == 1
    again = await activate(reader, ACCESS)
    assert again.active
    assert again.activated_at > account.activated_at
    kinds = (
        await DomainEvent.select(DomainEvent.kind)
        .where(DomainEvent.subject_key == reader.subject_key)
        .order_by(DomainEvent.created_at)
        .output(as_list=True)
        .run()
    )
    assert [k for k in kinds if k.startswith("eaddress.account")] == [
        "eaddress.account_activated",
        "eaddress.account_deactivated",
        "eaddress.account_activated",
    ]


async def test_only_the_holder_manages_and_only_from_fourteen() -> None:
    holder = await make_person(activate=False)
    other = await make_person()
    with pytest.raises(Forbidden):
        await activate(Reader(other.person_id, holder.reader.subject_key), ACCESS)
    company = await make_company()
    with pytest.raises(Forbidden):
        await deactivate(Reader(holder.person_id, f"company:{company}"), ACCESS)
    today = riga_today()
    child = await make_person(activate=False, born=today - timedelta(days=13 * 365))
    with pytest.raises(Unprocessable) as caught:
        await activate(child.reader, ACCESS)
    assert caught.value.code == "too_young"
    turned = date(today.year - 14, today.month, min(today.day, 28))
    teen = await make_person(activate=False, born=turned)
    assert (await activate(teen.reader, ACCESS)).active
