"""Reminder ladders: which step of an obligation is due today, and handing it to the
notification centre exactly once.

A step is sent once per occurrence (the obligation at its due date): the row in
`obligations_reminder` with the unique key `<occurrence>:<step>` and the domain event with the
same dedup key are written in one transaction, so a second run, or a second worker at the same
moment, finds the key taken and sends nothing. After a gap (a new obligation, a worker that
was down) only the nearest step is sent, never a burst of stale ones.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from backend.events.service import record_event
from backend.lib import db
from backend.lib.texts import render_in
from backend.obligations.rates import Rates
from backend.obligations.rules.base import Obligation
from backend.obligations.tables import Reminder

log = logging.getLogger("vienuviet.obligations")

EVENT_KIND = "obligations.reminder_due"
OVERDUE = -1
NOW = 0


def step_due(obligation: Obligation, today: date) -> int | None:
    """The ladder step due today: the nearest step at or above the days left; `NOW` for an
    obligation due now; `OVERDUE` once its date has passed; None when no step is due yet or
    the obligation has no ladder."""
    if not obligation.ladder:
        return None
    if obligation.immediate:
        return NOW
    left = obligation.days_left(today)
    if left < 0:
        return OVERDUE
    reached = [step for step in obligation.ladder if step >= left]
    return min(reached) if reached else None


def escalates(obligation: Obligation, today: date, acknowledged: bool, rates: Rates) -> bool:
    """A legal deadline this close (or passed) that the person has not acknowledged goes out
    on a stronger channel."""
    return (
        obligation.legal_deadline
        and not acknowledged
        and obligation.days_left(today) <= rates.escalate_within_days.value
    )


def reminder_key(obligation: Obligation, step: int) -> str:
    return f"{obligation.occurrence}:{step}"


async def send_due(
    obligations: Iterable[Obligation],
    today: date,
    rates: Rates,
    acknowledged: set[str],
    engine: Any,
) -> int:
    """Record each obligation's due step (once) and its `obligations.reminder_due` event.
    `acknowledged` holds the occurrences the person acknowledged. Returns how many were new."""
    sent = 0
    for obligation in obligations:
        step = step_due(obligation, today)
        if step is None:
            continue
        key = reminder_key(obligation, step)
        escalate = escalates(obligation, today, obligation.occurrence in acknowledged, rates)
        async with db.transaction(engine):
            inserted = await (
                Reminder.insert(
                    Reminder(
                        key=key,
                        subject_key=obligation.subject_key,
                        obligation_id=obligation.id,
                        rule=obligation.rule,
                        title=render_in(obligation.title, "lv")[:300],
                        title_text=obligation.title.to_json(),
                        action_url=obligation.action_url[:300],
                        due_date=obligation.due_date,
                        step=step,
                        escalate=escalate,
                    )
                )
                .on_conflict(target=Reminder.key, action="DO NOTHING")
                .returning(Reminder.id)
                .run()
            )
            if not inserted:
                continue  # sent before, by an earlier run or another worker
            await record_event(
                EVENT_KIND,
                obligation.subject_key,
                {
                    "reminder_id": str(inserted[0]["id"]),
                    "obligation_id": obligation.id,
                    "rule": obligation.rule,
                    "step": step,
                    "due_date": obligation.due_date.isoformat(),
                    "escalate": escalate,
                },
                dedup_key=f"{EVENT_KIND}:{key}",
            )
        sent += 1
    if sent:
        log.info("obligation reminders sent: %d", sent)
    return sent
