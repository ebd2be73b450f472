"""The notification API for institutions (/api/notify/v1) over real HTTP with real tokens:
templates (validated, versioned, never legal, previewable), notices that go through the
engine to the loopback push receiver and SMTP server, their status per channel attempt,
idempotency, other institutions' ids, scopes, rate limits and the daily cap."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.auth.tables import Person
from backend.eaddress.institution_api.institutions import NewInstitution
from backend.lib.time import RIGA, as_utc, utcnow
from backend.notifications.channels.inapp import list_items
from backend.notifications.institutions import bulk
from backend.notifications.preferences.choices import update_choices
from backend.notifications.render.messages import in_language
from backend.notifications.tables import InAppNotification, Outbox
from backend.services import Services
from backend.settings import Settings
from tests.conftest import variant_app
from tests.integration.eaddress.conftest import (
    fetch_token,
    make_institution,
    make_person,
    unique_number,
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

API = "/api/notify/v1"
NOTIFY = ("notify:send",)


def template_body(template_id: str | None = None, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": template_id or f"inspection-{uuid.uuid4().hex[:8]}",
        "category": "obligations",
        "texts": {
            "lv": {
                "subject": "Tehniskā apskate",
                "body": "Transportlīdzekļa {plate:text} apskate jāveic līdz {due:date}. "
                "Maksa {fee:amount}.",
            },
            "en": {
                "subject": "Vehicle inspection",
                "body": "Vehicle {plate:text} must be inspected by {due:date}. Fee {fee:amount}.",
            },
            "ru": {
                "subject": "Техосмотр",
                "body": "Техосмотр автомобиля {plate:text} нужно пройти до {due:date}. "
                "Плата {fee:amount}.",
            },
        },
    }
    body.update(changes)
    return body


VALUES = {"plate": "AB-1234", "due": "2027-03-31", "fee": "25.50"}


class Client:
    """One institution's view of the API: a token from the token endpoint, real HTTP."""

    def __init__(self, http: httpx.AsyncClient, institution: NewInstitution, token: str) -> None:
        self.http, self.institution, self.token = http, institution, token

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def template(self, body: dict[str, Any]) -> httpx.Response:
        return await self.http.post(f"{API}/templates", json=body, headers=self.auth)

    async def send(
        self, template: dict[str, Any], recipient: dict[str, str], *, key: str | None = None,
        values: dict[str, Any] | None = None,
    ) -> httpx.Response:  # fmt: skip
        body = {
            "template_id": template["id"],
            "template_version": template["version"],
            "recipient": recipient,
            "values": VALUES if values is None else values,
        }
        headers = {**self.auth, "Idempotency-Key": key or str(uuid.uuid4())}
        return await self.http.post(f"{API}/notifications", json=body, headers=headers)

    async def get(self, path: str) -> httpx.Response:
        return await self.http.get(f"{API}{path}", headers=self.auth)


async def make_client(http: httpx.AsyncClient, scopes: tuple[str, ...] = NOTIFY) -> Client:
    institution = await make_institution(scopes)
    return Client(http, institution, await fetch_token(http, institution))


@pytest.fixture
async def csdd(services: Services, http: httpx.AsyncClient) -> Client:
    return await make_client(http)


@pytest.fixture
async def template(csdd: Client) -> dict[str, Any]:
    answer = await csdd.template(template_body())
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def test_a_template_is_versioned_and_unchanged_content_makes_no_new_version(
    csdd: Client,
) -> None:
    body = template_body()
    first = await csdd.template(body)
    assert first.status_code == 201
    assert first.json()["version"] == 1
    assert first.json()["placeholders"] == {"plate": "text", "due": "date", "fee": "amount"}
    assert first.json()["legal"] is False
    again = await csdd.template(body)
    assert (again.status_code, again.json()["version"]) == (200, 1)
    body["texts"]["en"]["subject"] = "Roadworthiness test"
    second = await csdd.template(body)
    assert (second.status_code, second.json()["version"]) == (201, 2)
    latest = await csdd.get(f"/templates/{body['id']}")
    assert latest.json()["version"] == 2
    old = await csdd.get(f"/templates/{body['id']}?version=1")
    assert old.json()["texts"]["en"]["subject"] == "Vehicle inspection"


async def test_a_template_cannot_be_legal(csdd: Client) -> None:
    for body in (template_body(legal=True), template_body(category="eaddress")):
        answer = await csdd.template(body)
        assert answer.status_code == 422
        problem = answer.json()
        assert problem["code"] == "legal_not_allowed"
        assert "e-address" in problem["detail"]


async def test_an_invalid_template_is_refused_naming_every_problem(csdd: Client) -> None:
    body = template_body(id="Bad Id!", category="gossip")
    body["texts"]["lv"]["body"] = "Līdz {due:when}"
    body["texts"]["ru"].pop("subject")
    answer = await csdd.template(body)
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_template"
    paths = {error["path"] for error in answer.json()["errors"]}
    assert paths == {"id", "category", "texts.lv.body", "texts.ru"}
    mismatch = template_body()
    mismatch["texts"]["ru"]["body"] = "Техосмотр {plate:text}."
    answer = await csdd.template(mismatch)
    assert [e["path"] for e in answer.json()["errors"]] == ["texts.ru"]
    assert (await csdd.http.post(f"{API}/templates", content=b"{", headers=csdd.auth)).json()[
        "code"
    ] == "invalid_json"


async def test_preview_renders_every_language_and_names_bad_values(
    csdd: Client, template: dict[str, Any]
) -> None:
    url = f"{API}/templates/{template['id']}/preview"
    answer = await csdd.http.post(url, json={"values": VALUES}, headers=csdd.auth)
    assert answer.status_code == 200, answer.text
    texts = answer.json()["texts"]
    assert texts["lv"]["body"].startswith(
        "Transportlīdzekļa AB-1234 apskate jāveic līdz 31.03.2027."
    )
    assert "€25.50" in texts["en"]["body"]
    assert "31 March 2027" in texts["en"]["body"]
    bad = await csdd.http.post(
        url, json={"values": {"plate": "AB-1234", "due": "31.03.2027", "x": "1"}},
        headers=csdd.auth,
    )  # fmt: skip
    assert bad.status_code == 422
    named = {(e["name"], e["problem"]) for e in bad.json()["errors"]}
    assert named == {("due", "invalid"), ("fee", "missing"), ("x", "unknown")}
    assert "due" in bad.json()["detail"]


async def test_a_notice_reaches_the_person_on_their_channels_and_reports_per_attempt(
    csdd: Client,
    template: dict[str, Any],
    live: Any,
    receiver: PushReceiver,
    mailbox: MailServer,
) -> None:
    holder = await make_person(activate=False)
    device = receiver.subscribe()
    await add_device(holder.person_id, device)
    address = f"{uuid.uuid4().hex[:10]}@example.lv"
    await add_contact(holder.person_id, "email", address)
    key = str(uuid.uuid4())
    recipient = {"type": "personal_code", "id": holder.personal_code}
    answer = await csdd.send(template, recipient, key=key)
    assert answer.status_code == 202, answer.text
    notice_id = answer.json()["id"]
    assert answer.headers["location"] == f"{API}/notifications/{notice_id}"
    queued = (await csdd.get(f"/notifications/{notice_id}")).json()
    assert queued["status"] == "queued"
    # Obligations by default: in-app, push and e-mail, each one attempt, channels unnamed.
    assert [d["status"] for d in queued["deliveries"]] == ["queued"] * 3
    assert "channel" not in json.dumps(queued)

    replay = await csdd.send(template, recipient, key=key)
    assert (replay.status_code, replay.json()["id"]) == (202, notice_id)
    assert replay.headers["idempotent-replayed"] == "true"
    assert len(await outbox_rows(holder.person_id)) == 3
    other_body = await csdd.send(template, recipient, key=key, values={**VALUES, "fee": "1"})
    assert (other_body.status_code, other_body.json()["code"]) == (422, "idempotency_key_reused")

    await drain(live)
    (payload,) = [p for p in receiver.payloads(device) if p is not None]
    shown = json.loads(payload)
    assert shown["title"] == "Tehniskā apskate"  # the person's language: Latvian by default
    assert shown["body"].startswith("Transportlīdzekļa AB-1234 apskate jāveic līdz 31.03.2027.")
    (mail,) = mailbox.to(address)
    assert mail["Subject"] == "Tehniskā apskate"
    listed = (
        await InAppNotification.select().where(InAppNotification.person == holder.person_id).run()
    )
    assert len(listed) == 1
    done = (await csdd.get(f"/notifications/{notice_id}")).json()
    assert done["status"] == "delivered"
    assert [d["status"] for d in done["deliveries"]] == ["sent"] * 3


async def test_another_institutions_notice_and_template_are_not_found(
    csdd: Client, template: dict[str, Any], http: httpx.AsyncClient
) -> None:
    holder = await make_person(activate=False)
    sent = await csdd.send(template, {"type": "personal_code", "id": holder.personal_code})
    other = await make_client(http)
    assert (await other.get(f"/notifications/{sent.json()['id']}")).status_code == 404
    assert (await other.get(f"/notifications/{uuid.uuid4()}")).status_code == 404
    assert (await other.get(f"/templates/{template['id']}")).status_code == 404
    refused = await other.send(template, {"type": "personal_code", "id": holder.personal_code})
    assert (refused.status_code, refused.json()["code"]) == (404, "template_not_found")


async def test_the_api_needs_the_notify_scope_and_an_idempotency_key(
    csdd: Client, template: dict[str, Any], http: httpx.AsyncClient
) -> None:
    eaddress_only = await make_client(http, ("eaddress.send", "eaddress.read"))
    answer = await eaddress_only.template(template_body())
    assert (answer.status_code, answer.json()["code"]) == (403, "insufficient_scope")
    nobody = await http.get(f"{API}/templates/{template['id']}")
    assert nobody.status_code == 401
    body = {"template_id": template["id"], "template_version": 1, "values": VALUES,
            "recipient": {"type": "personal_code", "id": "010101-10006"}}  # fmt: skip
    no_key = await http.post(f"{API}/notifications", json=body, headers=csdd.auth)
    assert (no_key.status_code, no_key.json()["code"]) == (400, "idempotency_key_missing")


async def test_a_company_notice_goes_to_the_people_who_receive_its_notices(
    csdd: Client, template: dict[str, Any], live: Any, people: People
) -> None:
    company = unique_number("4")
    answer = await csdd.send(template, {"type": "company", "id": company})
    assert answer.status_code == 202
    # Nobody acts for this company here: accepted and said honestly, nothing queued.
    assert answer.json()["status"] == "no_recipient"
    status = (await csdd.get(f"/notifications/{answer.json()['id']}")).json()
    assert (status["status"], status["deliveries"]) == ("no_recipient", [])


async def test_quiet_hours_hold_a_push_until_morning(
    csdd: Client,
    template: dict[str, Any],
    receiver: PushReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = utcnow().astimezone(RIGA).date()
    night = as_utc(datetime.combine(today, time(23, 30), tzinfo=RIGA)) - timedelta(days=1)
    monkeypatch.setattr("backend.notifications.engine.enqueue.utcnow", lambda: night)
    monkeypatch.setattr("backend.notifications.preferences.choices.utcnow", lambda: night)
    holder = await make_person(activate=False)
    await add_device(holder.person_id, receiver.subscribe())
    answer = await csdd.send(template, {"type": "personal_code", "id": holder.personal_code})
    assert answer.status_code == 202
    (push,) = [r for r in await outbox_rows(holder.person_id) if r["channel"] == "push"]
    morning = datetime.combine(today, time(7, 0), tzinfo=RIGA).astimezone(UTC)
    assert as_utc(push["due_at"]) == morning


async def test_institutions_are_rate_limited_with_retry_after(
    tmp_path: Path, settings: Settings, services: Services
) -> None:
    async with (
        variant_app(settings, services, tmp_path, NOTIFY_API_PER_MINUTE="3") as (url, _),
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        client = await make_client(http)
        body = template_body()
        answers = [(await client.template(body)).status_code for _ in range(4)]
        refused = await client.get(f"/templates/{body['id']}")
        other = await make_client(http)
        fresh = await other.get(f"/templates/{body['id']}")
    assert answers == [201, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert fresh.status_code == 404  # another institution has its own budget


async def test_the_daily_cap_per_person_records_the_excess_as_capped(
    tmp_path: Path, settings: Settings, services: Services
) -> None:
    holder = await make_person(activate=False)
    recipient = {"type": "personal_code", "id": holder.personal_code}
    async with (
        variant_app(settings, services, tmp_path, NOTIFY_DAILY_CAP_PER_RECIPIENT="2") as (url, _),
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        first, second = await make_client(http), await make_client(http)
        templates = [(await c.template(template_body())).json() for c in (first, second)]
        answers = [
            await first.send(templates[0], recipient),
            await second.send(templates[1], recipient),
            await second.send(templates[1], recipient),
        ]
        status = (await second.get(f"/notifications/{answers[2].json()['id']}")).json()
    assert [a.json()["status"] for a in answers] == ["queued", "queued", "capped"]
    assert (status["status"], status["deliveries"]) == ("capped", [])
    rows = await Outbox.select(Outbox.event_key).where(Outbox.person == holder.person_id).run()
    assert len({r["event_key"] for r in rows}) == 2


async def run_bulk_jobs(services: Services) -> int:
    """What the worker's `notifications-bulk` job does, until no job has work left."""
    handled = 0
    for _ in range(50):
        batch = await bulk.work(services.stores.counters, services.settings.notifications)
        if batch == 0:
            return handled
        handled += batch
    raise AssertionError("the bulk jobs never finished")


async def test_a_bulk_send_is_a_job_with_progress_and_a_report_per_recipient(
    csdd: Client,
    template: dict[str, Any],
    services: Services,
    live: Any,
    receiver: PushReceiver,
    http: httpx.AsyncClient,
) -> None:
    holders = [await make_person(activate=False) for _ in range(2)]
    device = receiver.subscribe()
    await add_device(holders[0].person_id, device)
    items = [
        {"recipient": {"type": "personal_code", "id": h.personal_code}, "values": VALUES}
        for h in holders
    ]
    items.append({"recipient": items[0]["recipient"], "values": {**VALUES, "due": "soon"}})
    body = {"template_id": template["id"], "template_version": 1, "items": items}
    headers = {**csdd.auth, "Idempotency-Key": str(uuid.uuid4())}
    accepted = await http.post(f"{API}/bulk", json=body, headers=headers)
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    # Answered before anything is sent: the web process only wrote the job.
    assert (job["status"], job["total"], job["processed"]) == ("queued", 3, 0)
    assert accepted.headers["location"] == f"{API}/bulk/{job['id']}"
    again = await http.post(f"{API}/bulk", json=body, headers=headers)
    assert (again.json()["id"], again.headers["idempotent-replayed"]) == (job["id"], "true")

    assert await run_bulk_jobs(services) >= 3
    progress = (await csdd.get(f"/bulk/{job['id']}")).json()
    assert (progress["status"], progress["processed"]) == ("done", 3)
    assert progress["outcomes"] == {
        "queued": 2,
        "capped": 0,
        "no_recipient": 0,
        "unsubscribed": 0,
        "invalid": 1,
    }
    report = (await csdd.get(f"/bulk/{job['id']}/report")).json()
    assert [i["status"] for i in report["items"]] == ["queued", "queued", "invalid"]
    assert "due" in report["items"][2]["problem"]
    first_notice = report["items"][0]["notification_id"]
    assert (await csdd.get(f"/notifications/{first_notice}")).json()["status"] == "queued"
    await drain(live)
    assert len([p for p in receiver.payloads(device) if p is not None]) == 1
    other = await make_client(http)
    assert (await other.get(f"/bulk/{job['id']}")).status_code == 404
    assert (await other.get(f"/bulk/{job['id']}/report")).status_code == 404


async def test_a_bulk_send_is_checked_before_it_is_accepted(
    csdd: Client, template: dict[str, Any], http: httpx.AsyncClient
) -> None:
    headers = {**csdd.auth, "Idempotency-Key": str(uuid.uuid4())}
    too_many = {"template_id": template["id"], "template_version": 1,
                "items": [{"recipient": {"type": "company", "id": "40003000001"}, "values": {}}]
                * 10_001}  # fmt: skip
    answer = await http.post(f"{API}/bulk", json=too_many, headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_bulk")
    assert "10000" in answer.json()["detail"]
    unknown = {"template_id": "no-such-template", "template_version": 1,
               "items": too_many["items"][:1]}  # fmt: skip
    answer = await http.post(f"{API}/bulk", json=unknown, headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (404, "template_not_found")


async def test_the_notice_speaks_the_persons_language_and_appears_in_their_list(
    csdd: Client, template: dict[str, Any], live: Any, receiver: PushReceiver
) -> None:
    holder = await make_person(activate=False)
    await update_choices(holder.person_id, language="en")
    device = receiver.subscribe()
    await add_device(holder.person_id, device)
    sent = await csdd.send(template, {"type": "personal_code", "id": holder.personal_code})
    assert sent.status_code == 202
    await drain(live)
    (payload,) = [p for p in receiver.payloads(device) if p is not None]
    shown = json.loads(payload)
    assert shown["title"] == "Vehicle inspection"
    assert shown["body"] == "Vehicle AB-1234 must be inspected by 31 March 2027. Fee €25.50."
    with in_language("ru"):
        (item,) = await list_items(holder.person_id, "https://vienuviet.test")
    assert item.title == "Техосмотр"  # the list is written in the language it is read in
    assert item.body.startswith("Техосмотр автомобиля AB-1234 нужно пройти до 31.03.2027.")


async def test_a_person_with_a_foreign_eid_is_reached_by_their_eidas_identifier(
    csdd: Client, template: dict[str, Any], people: People
) -> None:
    person = await people.make()
    eidas = f"EE/LV/{uuid.uuid4().hex[:12]}"
    await Person.update({Person.eidas_id: eidas}).where(Person.id == person).run()
    sent = await csdd.send(template, {"type": "eidas_id", "id": eidas})
    assert (sent.status_code, sent.json()["status"]) == (202, "queued")
    assert [r["channel"] for r in await outbox_rows(person)] == ["inapp"]
    wrong = await csdd.send(template, {"type": "eidas_id", "id": "not an eidas id"})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "invalid_notification")


async def test_every_institution_notice_is_in_the_persons_list_even_with_channels_off(
    csdd: Client, live: Any, receiver: PushReceiver
) -> None:
    # Service news: every channel off by default; a phone with push on would not buzz.
    news = await csdd.template(template_body(category="service_news"))
    holder = await make_person(activate=False)
    device = receiver.subscribe()
    await add_device(holder.person_id, device)
    sent = await csdd.send(news.json(), {"type": "personal_code", "id": holder.personal_code})
    assert [r["channel"] for r in await outbox_rows(holder.person_id)] == ["inapp"]
    await drain(live)
    assert receiver.payloads(device) == []
    (item,) = await list_items(holder.person_id, "https://vienuviet.test")
    assert item.title == "Tehniskā apskate"
    status = (await csdd.get(f"/notifications/{sent.json()['id']}")).json()
    assert (status["status"], [d["status"] for d in status["deliveries"]]) == (
        "delivered",
        ["sent"],
    )
