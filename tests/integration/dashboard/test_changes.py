"""Changes since my last visit: a new person declared at my property shows in the timeline
and raises `dashboard.person_declared` once; seen advances by markDashboardSeen."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, timedelta
from typing import Any

from backend.auth.tables import Person
from backend.dashboard import changes
from backend.events.tables import DomainEvent
from backend.lib.identifiers import make_personal_code
from backend.services import Services
from backend.settings import Settings
from integrations.devstack.personas import persona
from integrations.registries.csdd.models import DrivingLicence, Vehicle
from tests.auth_driver import graphql
from tests.integration.dashboard.conftest import DashboardApp, person_of
from tests.integration.dashboard.queries import CHANGES, MARK_SEEN, dashboard
from tests.sandbox_driver import TODAY, Sandbox

BRIVIBAS = "Brīvības iela 1-5, Rīga, LV-1010"


def newcomer() -> dict[str, str]:
    tag = uuid.uuid4().hex[:6]
    born = date(1990, 1, 1) + timedelta(days=uuid.uuid4().int % 5000)
    return {
        "property_address": BRIVIBAS,
        "name": f"Pēteris Jauns-{tag}",
        "personal_code": make_personal_code(born, uuid.uuid4().int % 900),
        "declared_on": (TODAY - timedelta(days=1)).isoformat(),
        "legal_basis": "lease",
    }


def timeline(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = dashboard(body)["changes"]  # type: ignore[assignment]
    return found


def about(entries: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in entries if {"name": "name", "value": name} in e["facts"]]


async def events_for(change_id: str) -> list[dict[str, Any]]:
    rows = await DomainEvent.select().where(DomainEvent.kind == changes.PERSON_DECLARED)
    found = []
    for row in rows:
        payload = row["payload"] if isinstance(row["payload"], dict) else json.loads(row["payload"])
        if payload.get("change_id") == change_id:
            found.append({**row, "payload": payload})
    return found


async def test_a_new_declared_person_is_a_change_and_an_event(
    fresh_app: DashboardApp, sandbox: Sandbox, settings: Settings
) -> None:
    anna = await person_of(settings, "anna")
    someone = newcomer()
    async with fresh_app.browser("anna") as browser:
        timeline(await graphql(browser, CHANGES))  # what the registries say now is the base
        await graphql(browser, MARK_SEEN)
        await sandbox.declare(persona("anna").personal_code or "", **someone)
        seen = timeline(await graphql(browser, CHANGES))
        [added] = about(seen["entries"], someone["name"])
        assert (added["kind"], added["source"], added["isNew"]) == (
            "declared_person.added",
            "POPULATION_REGISTER",
            True,
        )
        facts = {f["name"]: f["value"] for f in added["facts"]}
        assert facts == {
            "name": someone["name"],
            "property_address": BRIVIBAS,
            "declared_on": someone["declared_on"],
            "legal_basis": "lease",
        }
        assert seen["newCount"] >= 1
        again = timeline(await graphql(browser, CHANGES))  # asked again: nothing new
        assert len(about(again["entries"], someone["name"])) == 1

        [event] = await events_for(added["id"])
        assert event["subject_key"] == anna.subject_key
        assert event["payload"] == {
            "change_id": added["id"],
            "source": "population_register",
            "declared_on": someone["declared_on"],
        }
        assert event["dedup_key"].startswith(f"{changes.PERSON_DECLARED}:{anna.id}:")
        assert event["dedup_key"].endswith(someone["declared_on"])
        assert someone["personal_code"] not in event["dedup_key"]

        marked = await graphql(browser, MARK_SEEN, {"upTo": added["detectedAt"]})
        assert marked["data"]["markDashboardSeen"]["seenUpTo"] == added["detectedAt"]  # type: ignore[index]
        after = timeline(await graphql(browser, CHANGES))
        [entry] = about(after["entries"], someone["name"])
        assert entry["isNew"] is False
        assert after["seenUpTo"] == added["detectedAt"]

        await sandbox.reset()  # the registry no longer lists the newcomer
        gone = timeline(await graphql(browser, CHANGES))
    kinds = [e["kind"] for e in about(gone["entries"], someone["name"])]
    assert kinds == ["declared_person.removed", "declared_person.added"]


async def test_two_requests_noticing_the_same_declaration_record_it_once(
    fresh_app: DashboardApp, sandbox: Sandbox
) -> None:
    someone = newcomer()
    async with fresh_app.browser("anna") as one, fresh_app.browser("anna") as two:
        await graphql(one, CHANGES)
        await sandbox.declare(persona("anna").personal_code or "", **someone)
        answers = await asyncio.gather(graphql(one, CHANGES), graphql(two, CHANGES))
        final = timeline(await graphql(one, CHANGES))
    for answer in answers:
        assert "errors" not in answer
    [added] = about(final["entries"], someone["name"])
    assert len(await events_for(added["id"])) == 1


async def test_seen_never_moves_back(fresh_app: DashboardApp, sandbox: Sandbox) -> None:
    async with fresh_app.browser("zane") as browser:
        late = (await graphql(browser, MARK_SEEN))["data"]["markDashboardSeen"]["seenUpTo"]  # type: ignore[index]
        early = await graphql(browser, MARK_SEEN, {"upTo": "2020-01-01T00:00:00+00:00"})
        future = await graphql(browser, MARK_SEEN, {"upTo": "2999-01-01T00:00:00+00:00"})
    assert early["data"]["markDashboardSeen"]["seenUpTo"] == late  # type: ignore[index]
    assert future["data"]["markDashboardSeen"]["seenUpTo"] < "2999"  # type: ignore[index]


def _vehicle(plate: str, inspection: date) -> Vehicle:
    return Vehicle(plate, "Škoda", "Fabia", 2015, inspection, None)


async def test_items_added_changed_and_removed_are_told_apart(
    services: Services,
) -> None:
    person_id = uuid.uuid4()
    await Person.insert(
        Person(id=person_id, person_key=f"test {person_id}", given_name="T", family_name="T")
    ).run()
    licence = DrivingLicence("LA1", ("B",), date(2020, 1, 1), date(2030, 1, 1))

    async def observe(vehicles: list[Vehicle]) -> list[str]:
        parts = {"vehicles": vehicles, "driving_licence": licence}
        found = await changes.observe(services.engine, person_id, "csdd", parts)
        return sorted(f"{c.kind} {c.facts.get('plate')}" for c in found)

    assert await observe([_vehicle("AA-1", date(2027, 1, 1))]) == []  # the baseline
    assert await observe([_vehicle("AA-1", date(2027, 1, 1))]) == []  # unchanged
    assert await observe(
        [_vehicle("AA-1", date(2028, 1, 1)), _vehicle("BB-2", date(2027, 5, 1))]
    ) == ["vehicle.added BB-2", "vehicle.changed AA-1"]
    assert await observe([_vehicle("BB-2", date(2027, 5, 1))]) == ["vehicle.removed AA-1"]
    listed = await changes.timeline(person_id)
    assert listed.new_count == 3
    assert [c.kind for c in listed.entries].count("vehicle.removed") == 1
