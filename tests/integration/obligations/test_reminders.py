"""The daily reminder run: each step of each obligation handed to the notification centre once,
however often the run repeats and however many workers run it at the same moment."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backend.auth.people import PersonRecord
from backend.events.tables import DomainEvent
from backend.lib.texts import Text
from backend.obligations import service
from backend.obligations.jobs import daily_reminders, due_persons, sweep_person
from backend.obligations.reminders import EVENT_KIND
from backend.obligations.service import Obligations, SubjectRef
from backend.obligations.tables import Reminder, Sweep
from backend.services import Services
from integrations.devstack.personas import BALTIC_TIMBER, persona
from tests.integration.obligations.conftest import (
    NOON_IN_RIGA,
    delegate_company,
    fresh_company_number,
    fresh_person,
    pinned,
)
from tests.sandbox_driver import TODAY, Sandbox
from tests.unit.obligations.facts import plain

Wire = Callable[[datetime, dict[str, str]], Obligations]


@pytest.fixture
async def wire(services: Services, registry_sandbox: Sandbox) -> AsyncIterator[Wire]:
    """Point the app's obligations at the sandbox with a clock and aliases of the test's own."""
    original = services.obligations

    def apply(now: datetime, alias: dict[str, str]) -> Obligations:
        services.obligations = pinned(services, now, alias)
        return services.obligations

    try:
        yield apply
    finally:
        services.obligations = original


async def as_persona(slug: str) -> tuple[PersonRecord, dict[str, str]]:
    """A fresh person whose registry data is the persona's."""
    who = persona(slug)
    person = await fresh_person(who.born_on(TODAY))
    assert person.personal_code is not None
    assert who.personal_code is not None
    return person, {person.personal_code: who.personal_code}


async def reminder_events(subject_key: str) -> list[dict[str, Any]]:
    rows = await (
        DomainEvent.select(DomainEvent.payload, DomainEvent.dedup_key)
        .where((DomainEvent.subject_key == subject_key) & (DomainEvent.kind == EVENT_KIND))
        .run()
    )
    return [
        json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"] for r in rows
    ]


def steps(events: list[dict[str, Any]]) -> set[tuple[str, int, bool]]:
    return {(e["rule"], e["step"], e["escalate"]) for e in events}


async def test_a_sweep_twice_hands_each_due_step_over_once(services: Services, wire: Wire) -> None:
    laura, alias = await as_persona("laura")
    wire(NOON_IN_RIGA, alias)
    first = await sweep_person(services, laura, TODAY, NOON_IN_RIGA)
    again = await sweep_person(services, laura, TODAY, NOON_IN_RIGA)
    events = await reminder_events(laura.subject_key)
    assert (first, again) == (2, 0)
    # Both overdue and legal deadlines, not acknowledged: escalated.
    assert steps(events) == {
        ("vehicle.inspection", -1, True),
        ("income_declaration.file", -1, True),
    }
    assert len(events) == 2
    rows = await (
        Reminder.select(Reminder.title, Reminder.title_text)
        .where(Reminder.subject_key == laura.subject_key)
        .run()
    )
    assert len(rows) == 2
    # The title as msgid + params, for each recipient's language; a Latvian copy beside it.
    assert {Text.from_json(r["title_text"]).msgid for r in rows} == {
        "Technical inspection: {vehicle}",
        "Submit your income declaration for {year}",
    }
    assert any(r["title"].startswith("Valsts tehniskā apskate: ") for r in rows)
    assert all(
        set(e) == {"reminder_id", "obligation_id", "rule", "step", "due_date", "escalate"}
        for e in events
    )


async def test_steps_follow_the_ladder_and_only_close_legal_deadlines_escalate(
    services: Services, wire: Wire
) -> None:
    anna, anna_alias = await as_persona("anna")
    martins, martins_alias = await as_persona("martins")
    wire(NOON_IN_RIGA, anna_alias | martins_alias)
    await sweep_person(services, anna, TODAY, NOON_IN_RIGA)
    await sweep_person(services, martins, TODAY, NOON_IN_RIGA)
    # Inspection in 12 days: the 30-day step. The passport (her eID card covers her) has no
    # ladder; insurance in 150 days has no step yet.
    assert steps(await reminder_events(anna.subject_key)) == {("vehicle.inspection", 30, False)}
    assert steps(await reminder_events(martins.subject_key)) == {
        ("real_estate_tax.instalment", -1, True),
        ("vehicle.insurance", 7, False),  # 6 days left: the 7-day step, not yet escalated
    }


async def test_an_acknowledged_obligation_is_not_escalated(services: Services, wire: Wire) -> None:
    laura, alias = await as_persona("laura")
    obligations = wire(NOON_IN_RIGA, alias)
    subject = SubjectRef.of_person(laura)
    view = await service.current(obligations, subject)
    inspection = next(o for o in view.obligations if o.rule == "vehicle.inspection")
    await service.acknowledge(obligations, subject, inspection.id, by=laura, engine=services.engine)
    await sweep_person(services, laura, TODAY, NOON_IN_RIGA)
    assert steps(await reminder_events(laura.subject_key)) == {
        ("vehicle.inspection", -1, False),
        ("income_declaration.file", -1, True),
    }


async def test_done_and_snoozed_obligations_get_no_reminders(
    services: Services, wire: Wire
) -> None:
    accountant = await fresh_person()
    number = fresh_company_number()
    await delegate_company(accountant, number, "obligations")
    december_10 = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    obligations = wire(december_10, {number: BALTIC_TIMBER.registration_number})
    company = SubjectRef.of_company(number)
    view = await service.current(obligations, company)
    by_title = {plain(o.title): o for o in view.obligations}
    await service.mark_done(
        obligations,
        company,
        by_title["VAT return for November 2026"].id,
        by=accountant,
        engine=services.engine,
    )
    await service.snooze(
        obligations,
        company,
        by_title["VAT payment for November 2026"].id,
        datetime(2026, 12, 20).date(),
        by=accountant,
        engine=services.engine,
    )
    await sweep_person(services, accountant, december_10.date(), december_10)
    events = await reminder_events(company.key)
    # Left: the employer's report, due Thursday 17 December (7 days: the 14-day step).
    assert steps(events) == {("company.employer_report", 14, False)}
    assert {
        plain(o.title) for o in (await service.current(obligations, company)).obligations
    }.isdisjoint({"VAT return for November 2026", "VAT payment for November 2026"})


async def test_two_workers_at_the_same_moment_send_each_step_once(
    services: Services, wire: Wire
) -> None:
    martins, alias = await as_persona("martins")
    wire(NOON_IN_RIGA, alias)
    sent = await asyncio.gather(
        *(sweep_person(services, martins, TODAY, NOON_IN_RIGA) for _ in range(3))
    )
    events = await reminder_events(martins.subject_key)
    assert sum(sent) == 2
    assert len(events) == 2
    assert len({e["reminder_id"] for e in events}) == 2


async def test_the_daily_job_covers_everyone_once_a_day(services: Services, wire: Wire) -> None:
    anna, anna_alias = await as_persona("anna")
    laura, laura_alias = await as_persona("laura")
    number = fresh_company_number()
    await delegate_company(laura, number, "obligations,view_mail")
    december_8 = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    wire(december_8, anna_alias | laura_alias | {number: BALTIC_TIMBER.registration_number})
    for _ in range(10_000):  # two workers, batch after batch, until everyone is swept today
        if sum(await asyncio.gather(daily_reminders(services), daily_reminders(services))) == 0:
            break
    assert steps(await reminder_events(anna.subject_key)) == {("vehicle.inspection", 1, True)}
    assert steps(await reminder_events(laura.subject_key)) == {
        ("vehicle.inspection", -1, True),
        ("income_declaration.file", -1, True),
    }
    assert steps(await reminder_events(f"company:{number}")) == {
        ("vat.return", 14, False),  # Monday 21 December: 13 days
        ("company.employer_report", 14, False),  # Thursday 17 December: 9 days
    }
    counted = len(
        await DomainEvent.select(DomainEvent.id).where(DomainEvent.kind == EVENT_KIND).run()
    )
    assert await daily_reminders(services) == 0  # the day is done
    assert (
        len(await DomainEvent.select(DomainEvent.id).where(DomainEvent.kind == EVENT_KIND).run())
        == counted
    )


async def test_the_daily_job_waits_for_the_morning(services: Services, wire: Wire) -> None:
    anna, alias = await as_persona("anna")
    six_in_riga = datetime(2026, 12, 9, 4, 0, tzinfo=UTC)
    wire(six_in_riga, alias)
    assert await daily_reminders(services) == 0
    assert await Sweep.count().where(Sweep.subject_key == anna.subject_key).run() == 0


async def test_a_registry_outage_is_tried_again_later_that_day(
    services: Services, wire: Wire, registry_sandbox: Sandbox
) -> None:
    anna, alias = await as_persona("anna")
    wire(NOON_IN_RIGA, alias)
    await registry_sandbox.fault("csdd", down=True)
    try:
        assert await sweep_person(services, anna, TODAY, NOON_IN_RIGA) == 0
    finally:
        await registry_sandbox.clear("csdd")
    row = await Sweep.select().where(Sweep.subject_key == anna.subject_key).first().run()
    assert row is not None
    assert (row["done"], row["attempts"]) == (False, 1)
    due_now = {p.id for p in await due_persons(TODAY, NOON_IN_RIGA, 100_000)}
    later = NOON_IN_RIGA + timedelta(minutes=16)
    due_later = {p.id for p in await due_persons(TODAY, later, 100_000)}
    assert anna.id not in due_now
    assert anna.id in due_later
    assert await sweep_person(services, anna, TODAY, later) == 1
    assert steps(await reminder_events(anna.subject_key)) == {("vehicle.inspection", 30, False)}
    row = await Sweep.select().where(Sweep.subject_key == anna.subject_key).first().run()
    assert row is not None
    assert (bool(row["done"]), row["attempts"]) == (True, 2)
