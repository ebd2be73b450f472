"""Topics over real HTTP: an institution declares one, a person (logged in through the
development identity provider) subscribes through GraphQL, the institution's notice to the
topic reaches subscribers only, and unsubscribing stops delivery at once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from backend.auth.tables import Person
from backend.lib.time import riga_today
from backend.notifications.institutions import sending
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Outbox, Topic, TopicSubscription
from backend.services import Services
from tests.auth_driver import graphql, login_as
from tests.idp_driver import RunningIdP
from tests.integration.notifications.conftest import drain
from tests.integration.notifications.test_notify_api import (
    API,
    VALUES,
    Client,
    make_client,
    run_bulk_jobs,
    template_body,
)
from tests.sandbox_driver import Sandbox

TOPICS = "{ notificationTopics { id institution name category subscribed } }"
SUBSCRIBE = """mutation($t: ID!, $s: Boolean!) { setTopicSubscription(topicId: $t, subscribed: $s) {
  __typename ... on TopicSubscriptionSet { topicId subscribed } ... on InvalidInput { code } } }"""
ANNA_CODE = "150385-11028"


@pytest.fixture
async def anna(
    base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, live: NotificationRuntime
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        await login_as(client, "anna", "eparaksts")
        yield client


@pytest.fixture
async def anna_id(anna: httpx.AsyncClient, services: Services) -> AsyncIterator[uuid.UUID]:
    row = await Person.select(Person.id).where(Person.personal_code == ANNA_CODE).first().run()
    assert row is not None
    person = uuid.UUID(str(row["id"]))
    # Personas are shared by the suite: today's cap counts only this test's notices.
    await services.stores.counters.reset(f"notify-cap:{person}:{riga_today().isoformat()}")
    yield person
    await TopicSubscription.delete().where(TopicSubscription.person == person).run()
    # The topics declared here are not for every later settings page to list.
    await Topic.delete().where(Topic.topic_id.like("roads-%")).run()


def topic_body(topic_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": topic_id,
        "category": "registry_changes",
        "names": {"lv": f"Ceļu slēgšana Rīgā ({topic_id})", "en": "Road closures in Riga",
                  "ru": "Перекрытия дорог в Риге"},
        **changes,
    }  # fmt: skip


async def to_topic(client: Client, topic_id: str, template: dict[str, Any]) -> httpx.Response:
    body = {"template_id": template["id"], "template_version": template["version"],
            "values": VALUES}  # fmt: skip
    headers = {**client.auth, "Idempotency-Key": str(uuid.uuid4())}
    return await client.http.post(f"{API}/topics/{topic_id}/notices", json=body, headers=headers)


async def topic_rows(person: uuid.UUID, notice_ids: list[str]) -> list[dict[str, Any]]:
    keys = [f"{sending.KIND}:{n}" for n in notice_ids]
    rows: list[dict[str, Any]] = await (
        Outbox.select(Outbox.status, Outbox.outcome, Outbox.channel)
        .where((Outbox.person == person) & Outbox.event_key.is_in(keys))
        .run()
    )
    return rows


async def test_a_topic_reaches_its_subscribers_and_unsubscribing_stops_it_at_once(
    http: httpx.AsyncClient,
    anna: httpx.AsyncClient,
    anna_id: uuid.UUID,
    services: Services,
    live: NotificationRuntime,
) -> None:
    lvc = await make_client(http)
    topic_id = f"roads-{uuid.uuid4().hex[:8]}"
    created = await lvc.http.post(f"{API}/topics", json=topic_body(topic_id), headers=lvc.auth)
    assert (created.status_code, created.json()["subscribers"]) == (201, 0)
    template = (await lvc.template(template_body(category="registry_changes"))).json()

    listed = (await graphql(anna, TOPICS))["data"]["notificationTopics"]  # type: ignore[index]
    (mine,) = [t for t in listed if t["name"] == f"Ceļu slēgšana Rīgā ({topic_id})"]
    assert (mine["subscribed"], mine["category"]) == (False, "registry_changes")
    assert mine["institution"] == "Valsts ieņēmumu dienests"
    nobody = await to_topic(lvc, topic_id, template)
    assert (nobody.status_code, nobody.json()["total"], nobody.json()["status"]) == (202, 0, "done")

    answer = await graphql(anna, SUBSCRIBE, {"t": mine["id"], "s": True})
    expected = {"__typename": "TopicSubscriptionSet", "topicId": mine["id"], "subscribed": True}
    assert answer["data"] == {"setTopicSubscription": expected}
    status = (await lvc.get("/topics")).json()["topics"]
    assert [t["subscribers"] for t in status if t["id"] == topic_id] == [1]

    job = (await to_topic(lvc, topic_id, template)).json()
    assert job["total"] == 1
    await run_bulk_jobs(services)
    report = (await lvc.get(f"/bulk/{job['id']}/report")).json()["items"]
    assert [i["status"] for i in report] == ["queued"]
    first = report[0]["notification_id"]
    assert {r["status"] for r in await topic_rows(anna_id, [first])} == {"pending"}

    # Unsubscribed before the worker sent it: its queued rows end, nothing more arrives.
    later = (await to_topic(lvc, topic_id, template)).json()
    answer = await graphql(anna, SUBSCRIBE, {"t": mine["id"], "s": False})
    assert answer["data"]["setTopicSubscription"]["subscribed"] is False  # type: ignore[index]
    rows = await topic_rows(anna_id, [first])
    assert {(r["status"], r["outcome"]) for r in rows} == {("skipped", "unsubscribed")}
    await run_bulk_jobs(services)
    report = (await lvc.get(f"/bulk/{later['id']}/report")).json()["items"]
    assert [i["status"] for i in report] == ["unsubscribed"]
    await drain(live)
    assert {r["status"] for r in await topic_rows(anna_id, [first])} == {"skipped"}
    assert (await lvc.get(f"/notifications/{first}")).json()["status"] == "not_delivered"


async def test_topics_are_the_declaring_institutions_and_never_legal(
    http: httpx.AsyncClient, anna: httpx.AsyncClient, anna_id: uuid.UUID
) -> None:
    owner, other = await make_client(http), await make_client(http)
    topic_id = f"roads-{uuid.uuid4().hex[:8]}"
    await owner.http.post(f"{API}/topics", json=topic_body(topic_id), headers=owner.auth)
    renamed = topic_body(topic_id, names={"lv": "Ceļi", "en": "Roads", "ru": "Дороги"})
    again = await owner.http.post(f"{API}/topics", json=renamed, headers=owner.auth)
    assert (again.status_code, again.json()["names"]["en"]) == (200, "Roads")
    template = (await other.template(template_body())).json()
    refused = await to_topic(other, topic_id, template)
    assert (refused.status_code, refused.json()["code"]) == (404, "topic_not_found")
    assert [t["id"] for t in (await other.get("/topics")).json()["topics"]] == []
    legal = await owner.http.post(
        f"{API}/topics", json=topic_body(f"x-{topic_id}", category="eaddress"), headers=owner.auth
    )
    assert (legal.status_code, legal.json()["code"]) == (422, "legal_not_allowed")
    unknown = await graphql(anna, SUBSCRIBE, {"t": str(uuid.uuid4()), "s": True})
    assert unknown["data"]["setTopicSubscription"]["code"] == "topic_not_found"  # type: ignore[index]
