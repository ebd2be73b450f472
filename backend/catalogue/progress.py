"""A signed-in person's own progress through a life situation: pure logic, no I/O.

The page gathers what the registries say about the person (`PersonalFacts`, built from the
dashboard's answer) and the date of the event (`registry_event`, or the date the person gave);
`progress` then tells for each step whether the registries already show it as done, whether the
state does it by itself, and which are due and by when. A step counts as done only on evidence
dated on or after the event (a family doctor chosen years before a birth is not the baby's), or
on undated evidence while no event date is known.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

from backend.catalogue.model import LifeSituation, RelativeDeadline
from backend.lib.workdays import next_working_day_on_or_after, nth_working_day_after

# A birth counts as "the" event of the birth-of-a-child situation while its last deadline can
# still matter (the family state benefit: 24 months after the first birthday).
BIRTH_WINDOW_MONTHS: Final = 36
# Coming of age is shown from three months before the birthday to a year after it.
ADULT_AGE: Final = 18
COMING_OF_AGE_BEFORE_DAYS: Final = 92
COMING_OF_AGE_AFTER_DAYS: Final = 365

# Where in the workspace a person sees the registry fact behind a step.
WORKSPACE_LINKS: Final[Mapping[str, str]] = {
    "birth-registered": "/",
    "child-residence-declared": "/",
    "residence-declared": "/",
    "family-doctor-registered": "/",
    "vehicle-registered-to-me": "/",
    "company-registered": "/company",
    "eaddress-active": "/mail",
    "pension-granted": "/",
}
OBLIGATIONS_LINK: Final = "/obligations"


class StepState(StrEnum):
    DONE = "done"  # the registries show it done (on or after the event)
    AUTOMATIC = "automatic"  # the state does it without the person
    OVERDUE = "overdue"  # its deadline has passed and nothing shows it done
    DUE = "due"  # it has a deadline still ahead
    OPEN = "open"  # no deadline, nothing shows it done


@dataclass(frozen=True, slots=True)
class Evidence:
    """A registry fact about the person; `since` is when it became true, None when the
    registry does not say."""

    since: date | None = None


@dataclass(frozen=True, slots=True)
class PersonalFacts:
    """What the registries say about the person, as the steps' `done_when` facts name it.

    A fact missing from `evidence` is either false or unknown (the registry did not answer):
    either way the step is not shown as done.
    """

    birth_date: date | None = None
    children_born: tuple[date, ...] = ()
    evidence: Mapping[str, Evidence] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StepProgress:
    state: StepState
    due: date | None = None
    days_left: int | None = None
    workspace_url: str | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    event: date | None
    steps: tuple[StepProgress, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.state is StepState.DONE)

    @property
    def due(self) -> int:
        return sum(1 for s in self.steps if s.state in (StepState.DUE, StepState.OVERDUE))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_date(deadline: RelativeDeadline, event: date) -> date | None:
    """The last day of a deadline counted from `event`; a day that is not a working day moves
    to the next working day (as the Administrative Procedure Law counts terms)."""
    if deadline.working_days:
        return nth_working_day_after(event, deadline.working_days)
    if deadline.months is not None:
        return next_working_day_on_or_after(add_months(event, deadline.months))
    if deadline.days is not None:
        return next_working_day_on_or_after(date.fromordinal(event.toordinal() + deadline.days))
    return None


def birthday(born: date, years: int) -> date:
    """The `years`-th birthday (29 February → 28 February in common years)."""
    year = born.year + years
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return born.replace(year=year)


def registry_event(situation_id: str, facts: PersonalFacts, today: date) -> date | None:
    """The date of the situation's event when the registries show it, else None.

    The birth of a child: the youngest child's birth while its deadlines can still matter.
    Turning 18: the 18th birthday, from three months before it to a year after.
    """
    if situation_id == "child-birth":
        recent = [
            born
            for born in facts.children_born
            if born <= today < add_months(born, BIRTH_WINDOW_MONTHS)
        ]
        return max(recent, default=None)
    if situation_id == "turning-18" and facts.birth_date is not None:
        day = birthday(facts.birth_date, ADULT_AGE)
        if -COMING_OF_AGE_BEFORE_DAYS <= (today - day).days <= COMING_OF_AGE_AFTER_DAYS:
            return day
    return None


def _shows_done(evidence: Evidence | None, event: date | None) -> bool:
    """Evidence dated on or after the event; undated evidence only while no event is known (a
    car registered to you says nothing about the one you bought last week)."""
    if evidence is None:
        return False
    if evidence.since is None:
        return event is None
    return event is None or evidence.since >= event


def progress(
    situation: LifeSituation, event: date | None, facts: PersonalFacts | None, today: date
) -> Progress:
    """Each step's state for a person whose event happened (or happens) on `event`.

    Without `facts` (a visitor) no step is shown as done; without `event` no step has a date.
    """
    steps: list[StepProgress] = []
    for step in situation.steps:
        evidence = facts.evidence.get(step.done_when) if facts and step.done_when else None
        link = WORKSPACE_LINKS.get(step.done_when or "") if facts else None
        due = due_date(step.deadline, event) if step.deadline and event else None
        days_left = (due - today).days if due else None
        if _shows_done(evidence, event):
            steps.append(StepProgress(StepState.DONE, due, None, link))
        elif step.automatic:
            steps.append(StepProgress(StepState.AUTOMATIC, due, None, None))
        elif due is not None and days_left is not None:
            state = StepState.OVERDUE if days_left < 0 else StepState.DUE
            steps.append(
                StepProgress(state, due, days_left, link or (OBLIGATIONS_LINK if facts else None))
            )
        else:
            steps.append(StepProgress(StepState.OPEN, None, None, link))
    return Progress(event, tuple(steps))
