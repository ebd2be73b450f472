"""Which reminder step is due, and when a reminder escalates to a stronger channel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from backend.lib.texts import Text
from backend.obligations.rates import DEFAULT_RATES
from backend.obligations.reminders import NOW, OVERDUE, escalates, reminder_key, step_due
from backend.obligations.rules.base import Obligation

TODAY = date(2026, 11, 27)
BASE = Obligation(
    id="vat-1",
    rule="vat.return",
    subject_key="company:40003123459",
    title=Text("VAT return"),
    due_date=date(2026, 12, 21),
    legal_basis=Text("Value Added Tax Law"),
    action_url="https://eds.vid.gov.lv/",
    ladder=(30, 7, 1),
)


@pytest.mark.parametrize(
    ("due", "step", "why"),
    [
        (date(2027, 1, 27), None, "61 days ahead: no step yet"),
        (date(2026, 12, 27), 30, "exactly 30 days"),
        (date(2026, 12, 26), 30, "29 days: still the 30-day step"),
        (date(2026, 12, 4), 7, "7 days"),
        (date(2026, 11, 30), 7, "3 days: the 7-day step (sent once, if it was not)"),
        (date(2026, 11, 28), 1, "tomorrow"),
        (date(2026, 11, 27), 1, "today: the last step"),
        (date(2026, 11, 26), OVERDUE, "yesterday: the overdue notice"),
    ],
)
def test_step_due(due: date, step: int | None, why: str) -> None:
    assert step_due(replace(BASE, due_date=due), TODAY) == step, why


def test_no_ladder_no_reminders_and_due_now_is_its_own_step() -> None:
    assert step_due(replace(BASE, ladder=()), TODAY) is None
    assert step_due(replace(BASE, ladder=(), due_date=date(2026, 1, 1)), TODAY) is None
    assert step_due(replace(BASE, immediate=True, due_date=TODAY), TODAY) == NOW


def test_keys_differ_per_step_and_per_due_date() -> None:
    keys = {
        reminder_key(BASE, 7),
        reminder_key(BASE, 1),
        reminder_key(replace(BASE, due_date=date(2027, 1, 20)), 7),
    }
    assert len(keys) == 3
    assert reminder_key(BASE, 7) == reminder_key(replace(BASE, title=Text("renamed")), 7)


@pytest.mark.parametrize(
    ("due", "legal", "acknowledged", "escalate"),
    [
        (date(2026, 11, 30), True, False, True),  # 3 days, legal, not seen
        (date(2026, 12, 1), True, False, False),  # 4 days: not yet
        (date(2026, 11, 20), True, False, True),  # overdue
        (date(2026, 11, 30), True, True, False),  # acknowledged
        (date(2026, 11, 30), False, False, False),  # not a legal deadline
    ],
)
def test_escalation(due: date, legal: bool, acknowledged: bool, escalate: bool) -> None:
    obligation = replace(BASE, due_date=due, legal_deadline=legal)
    assert escalates(obligation, TODAY, acknowledged, DEFAULT_RATES) is escalate
