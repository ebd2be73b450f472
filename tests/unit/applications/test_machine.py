"""The application status machine: every step the table allows, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from backend.applications.machine import (
    ALLOWED,
    TERMINAL,
    Actor,
    InvalidTransition,
    Outcome,
    Status,
    next_steps,
    transition,
)

AT = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_the_person_sends_a_draft_and_the_step_keeps_time_actor_and_note() -> None:
    step = transition(Status.DRAFT, Status.SUBMITTED, Actor.PERSON, at=AT, note="sent")
    assert (step.from_status, step.to_status, step.actor, step.at, step.note) == (
        Status.DRAFT,
        Status.SUBMITTED,
        Actor.PERSON,
        AT,
        "sent",
    )


def test_the_whole_life_of_a_granted_application() -> None:
    path = [
        (Status.DRAFT, Status.SUBMITTED, Actor.PERSON, None),
        (Status.SUBMITTED, Status.RECEIVED, Actor.INSTITUTION, None),
        (Status.RECEIVED, Status.IN_PROGRESS, Actor.INSTITUTION, None),
        (Status.IN_PROGRESS, Status.NEEDS_INFORMATION, Actor.INSTITUTION, None),
        (Status.NEEDS_INFORMATION, Status.IN_PROGRESS, Actor.PERSON, None),
        (Status.IN_PROGRESS, Status.DECIDED, Actor.INSTITUTION, Outcome.GRANTED),
        (Status.DECIDED, Status.CLOSED, Actor.SYSTEM, None),
    ]
    for current, target, actor, outcome in path:
        assert transition(current, target, actor, at=AT, outcome=outcome).to_status is target


def test_a_person_cannot_decide_their_own_application() -> None:
    with pytest.raises(InvalidTransition, match="not this actor's step"):
        transition(Status.IN_PROGRESS, Status.DECIDED, Actor.PERSON, at=AT, outcome=Outcome.GRANTED)


def test_a_decision_needs_an_outcome_and_nothing_else_has_one() -> None:
    with pytest.raises(InvalidTransition, match="needs an outcome"):
        transition(Status.IN_PROGRESS, Status.DECIDED, Actor.INSTITUTION, at=AT)
    with pytest.raises(InvalidTransition, match="only a decision"):
        transition(
            Status.SUBMITTED, Status.RECEIVED, Actor.INSTITUTION, at=AT, outcome=Outcome.REFUSED
        )


@pytest.mark.parametrize(("current", "target", "actor"), list(product(Status, Status, Actor)))
def test_every_pair_is_allowed_exactly_when_the_table_says(
    current: Status, target: Status, actor: Actor
) -> None:
    allowed = actor in ALLOWED.get((current, target), frozenset())
    outcome = Outcome.PARTLY if target is Status.DECIDED else None
    if allowed:
        assert transition(current, target, actor, at=AT, outcome=outcome).to_status is target
    else:
        with pytest.raises(InvalidTransition):
            transition(current, target, actor, at=AT, outcome=outcome)


def test_nothing_leaves_a_closed_or_declined_application() -> None:
    for status, actor in product(TERMINAL, Actor):
        assert next_steps(status, actor) == []


def test_a_prepared_application_is_confirmed_or_declined_by_the_person_only() -> None:
    assert sorted(next_steps(Status.PREPARED, Actor.PERSON)) == [Status.DECLINED, Status.SUBMITTED]
    assert next_steps(Status.PREPARED, Actor.INSTITUTION) == []
