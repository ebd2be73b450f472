"""Idempotency-Key: replays, conflicts, the race of concurrent duplicates, and the purge."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from backend.eaddress.institution_api.idempotency import purge_older_than
from backend.eaddress.institution_api.institutions import NewInstitution
from backend.eaddress.jobs import purge_idempotency_keys
from backend.eaddress.mailbox.accounts import account_by_subject
from backend.eaddress.tables import IdempotencyRecord, Message
from backend.events.tables import DomainEvent
from backend.lib.time import utcnow
from backend.services import Services
from tests.integration.eaddress.conftest import (
    PDF,
    Api,
    Holder,
    fetch_token,
    make_institution,
    message_json,
)

RACERS = 24


async def _messages_to(holder: Holder) -> int:
    account = await account_by_subject(f"person:{holder.person_id}")
    assert account is not None
    return await Message.count().where(Message.account == account.id).run()


async def test_same_key_same_body_replays_the_first_answer(api: Api, holder: Holder) -> None:
    key = str(uuid.uuid4())
    first = await api.send(message_json(holder.recipient), key=key)
    again = await api.send(message_json(holder.recipient), key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await _messages_to(holder) == 1


async def test_same_key_with_another_body_is_refused(api: Api, holder: Holder) -> None:
    key = str(uuid.uuid4())
    assert (await api.send(message_json(holder.recipient), key=key)).status_code == 201
    other = await api.send(message_json(holder.recipient, subject="Cits temats"), key=key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert await _messages_to(holder) == 1


async def test_multipart_replays_match_on_content_not_on_boundaries(
    api: Api, holder: Holder
) -> None:
    key = str(uuid.uuid4())
    files = [("attachment", ("lēmums.pdf", PDF, "application/pdf"))]
    first = await api.send(message_json(holder.recipient), key=key, files=files)
    again = await api.send(message_json(holder.recipient), key=key, files=files)
    assert first.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    other_file = [("attachment", ("lēmums.pdf", PDF + b"%", "application/pdf"))]
    changed = await api.send(message_json(holder.recipient), key=key, files=other_file)
    assert changed.json()["code"] == "idempotency_key_reused"


async def test_keys_belong_to_one_institution(api: Api, holder: Holder) -> None:
    key = str(uuid.uuid4())
    assert (await api.send(message_json(holder.recipient), key=key)).status_code == 201
    other: NewInstitution = await make_institution()
    other_api = Api(api.http, await fetch_token(api.http, other))
    theirs = await other_api.send(message_json(holder.recipient), key=key)
    assert theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers
    assert await _messages_to(holder) == 2


async def test_concurrent_duplicates_make_exactly_one_message(api: Api, holder: Holder) -> None:
    key = str(uuid.uuid4())
    body = message_json(holder.recipient)
    responses = await asyncio.gather(*(api.send(body, key=key) for _ in range(RACERS)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(1 for r in responses if "idempotent-replayed" not in r.headers) == 1
    assert await _messages_to(holder) == 1
    message_id = responses[0].json()["id"]
    events = (
        await DomainEvent.count()
        .where(DomainEvent.dedup_key == f"eaddress.message_received:{message_id}")
        .run()
    )
    assert events == 1


async def test_concurrent_different_bodies_on_one_key_give_one_message(
    api: Api, holder: Holder
) -> None:
    key = str(uuid.uuid4())
    bodies = [message_json(holder.recipient, subject=f"Temats {i}") for i in range(8)]
    responses = await asyncio.gather(*(api.send(b, key=key) for b in bodies))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [422] * 7
    assert await _messages_to(holder) == 1


async def test_keys_are_kept_24_hours_then_purged(
    api: Api, holder: Holder, services: Services, institution: NewInstitution
) -> None:
    key = str(uuid.uuid4())
    assert (await api.send(message_json(holder.recipient), key=key)).status_code == 201
    await purge_idempotency_keys(services)  # a fresh key survives the job
    assert (await api.send(message_json(holder.recipient), key=key)).headers.get(
        "idempotent-replayed"
    ) == "true"
    await IdempotencyRecord.delete().where(IdempotencyRecord.key == key).run()
    await IdempotencyRecord.insert(
        IdempotencyRecord(
            institution=institution.id,
            key=key,
            request_sha256="0" * 64,
            status_code=201,
            response={},
            created_at=utcnow() - timedelta(hours=49),
        )
    ).run()
    while await purge_older_than(48, batch=100):
        pass
    assert not await IdempotencyRecord.exists().where(IdempotencyRecord.key == key).run()
