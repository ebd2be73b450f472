"""The status machine of an application: which step may follow which, and who may take it.

Pure logic, no I/O: the service stores what `transition` allows, the tests hold it to the table.

    draft ──person──▶ submitted ──system/institution──▶ received ──institution──▶ in progress
    prepared ─person─▶ submitted          (zero-contact: the state prepared it, the person confirms)
    prepared ─person─▶ declined           (the person says "this is wrong" or does not want it)
    in progress ──institution──▶ needs information ──person/institution──▶ in progress
    received / in progress ──institution──▶ decided (granted / refused / partly) ──▶ closed

Every step is kept as a `Step` (time, actor, note): the case page's timeline.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    PREPARED = "prepared"
    """Prepared by the state from registry facts; waits for the person to confirm."""
    SUBMITTED = "submitted"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    NEEDS_INFORMATION = "needs_information"
    DECIDED = "decided"
    CLOSED = "closed"
    DECLINED = "declined"
    """A prepared application the person declined (or said was wrong)."""


class Outcome(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    PARTLY = "partly"


class Actor(StrEnum):
    PERSON = "person"
    """The applicant, or someone acting for the applying company."""
    INSTITUTION = "institution"
    SYSTEM = "system"
    """Vienuviet itself (preparing an application, recording the institution's receipt)."""


class InvalidTransition(ValueError):
    """The step is not allowed from this status, by this actor, or without its outcome."""

    def __init__(self, current: Status, target: Status, actor: Actor, why: str) -> None:
        super().__init__(f"{current} → {target} by {actor}: {why}")
        self.current, self.target, self.actor, self.why = current, target, actor, why


_P, _I, _S = Actor.PERSON, Actor.INSTITUTION, Actor.SYSTEM

ALLOWED: dict[tuple[Status, Status], frozenset[Actor]] = {
    (Status.DRAFT, Status.SUBMITTED): frozenset({_P}),
    (Status.PREPARED, Status.SUBMITTED): frozenset({_P}),
    (Status.PREPARED, Status.DECLINED): frozenset({_P}),
    (Status.SUBMITTED, Status.RECEIVED): frozenset({_I, _S}),
    (Status.RECEIVED, Status.IN_PROGRESS): frozenset({_I}),
    (Status.IN_PROGRESS, Status.NEEDS_INFORMATION): frozenset({_I}),
    (Status.RECEIVED, Status.NEEDS_INFORMATION): frozenset({_I}),
    (Status.NEEDS_INFORMATION, Status.IN_PROGRESS): frozenset({_P, _I}),
    (Status.RECEIVED, Status.DECIDED): frozenset({_I}),
    (Status.IN_PROGRESS, Status.DECIDED): frozenset({_I}),
    (Status.DECIDED, Status.CLOSED): frozenset({_I, _S}),
}
"""(from, to) → who may take that step. Anything not listed is refused."""

INITIAL: frozenset[Status] = frozenset({Status.DRAFT, Status.PREPARED})
TERMINAL: frozenset[Status] = frozenset({Status.CLOSED, Status.DECLINED})
EDITABLE: frozenset[Status] = frozenset({Status.DRAFT})
"""Only a draft's answers change; a prepared application is confirmed or declined as it is."""

WAITING_FOR_PERSON: frozenset[Status] = frozenset(
    {Status.DRAFT, Status.PREPARED, Status.NEEDS_INFORMATION}
)
"""Statuses in which the next step is the applicant's (the case page says so)."""


@dataclass(frozen=True)
class Step:
    """One transition, as the timeline shows it."""

    at: datetime
    from_status: Status | None
    """None for the step that created the application."""
    to_status: Status
    actor: Actor
    note: str = ""
    outcome: Outcome | None = None
    message_id: uuid.UUID | None = None
    """The official e-address message the institution's step sent the applicant, if any."""
    deemed_delivered_on: date | None = None


def transition(
    current: Status,
    target: Status,
    actor: Actor,
    *,
    at: datetime,
    note: str = "",
    outcome: Outcome | None = None,
) -> Step:
    """The step from `current` to `target` by `actor`, or InvalidTransition.

    A decision needs its outcome; no other step may carry one."""
    allowed = ALLOWED.get((current, target))
    if allowed is None:
        raise InvalidTransition(current, target, actor, "no such step")
    if actor not in allowed:
        raise InvalidTransition(current, target, actor, "not this actor's step")
    if (target is Status.DECIDED) != (outcome is not None):
        why = "a decision needs an outcome" if outcome is None else "only a decision has one"
        raise InvalidTransition(current, target, actor, why)
    return Step(
        at=at, from_status=current, to_status=target, actor=actor, note=note, outcome=outcome
    )


def next_steps(current: Status, actor: Actor) -> list[Status]:
    """The statuses `actor` may move an application in `current` to."""
    return [to for (frm, to), who in ALLOWED.items() if frm is current and actor in who]
