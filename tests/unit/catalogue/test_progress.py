"""A signed-in person's progress through a life situation (backend/catalogue/progress.py)."""

from __future__ import annotations

import datetime as dt
from datetime import date

from backend.catalogue.model import (
    Audience,
    LifeSituation,
    RelativeDeadline,
    ShortTitle,
    Step,
    Text,
)
from backend.catalogue.progress import (
    Evidence,
    PersonalFacts,
    StepState,
    add_months,
    due_date,
    progress,
    registry_event,
)


def _text(word: str) -> Text:
    return Text(lv=word, en=word, ru=word)


def _title(word: str) -> ShortTitle:
    return ShortTitle(lv=word, en=word, ru=word)


def _step(
    name: str,
    *,
    done_when: str | None = None,
    automatic: bool = False,
    deadline: RelativeDeadline | None = None,
) -> Step:
    return Step(
        title=_title(name),
        text=_text(name),
        done_when=done_when,
        automatic=automatic,
        deadline=deadline,
    )


BIRTH = LifeSituation(
    id="child-birth",
    slug="berna-piedzimsana",
    title=_title("Birth"),
    summary=_text("Birth"),
    event=_title("the birth"),
    audience=[Audience.RESIDENTS],
    steps=[
        _step(
            "register",
            done_when="birth-registered",
            deadline=RelativeDeadline(text=_text("1 month"), months=1),
        ),
        _step("benefits office informed", automatic=True),
        _step(
            "declare the child",
            done_when="child-residence-declared",
            deadline=RelativeDeadline(text=_text("1 month"), months=1),
        ),
        _step(
            "family doctor",
            done_when="family-doctor-registered",
        ),
        _step("grant", deadline=RelativeDeadline(text=_text("6 months"), months=6)),
        _step("old", deadline=RelativeDeadline(text=_text("5 days"), days=5)),
    ],
    institutions=["pmlp"],
    reviewed=dt.date(2026, 11, 1),
    sources=["https://www.pmlp.gov.lv/"],
)

BORN = date(2026, 11, 6)  # a Friday
TODAY = date(2026, 11, 27)


def test_laura_sees_the_registered_birth_done_and_the_rest_due_by_date() -> None:
    facts = PersonalFacts(
        children_born=(date(2019, 4, 11), date(2021, 10, 3), BORN),
        evidence={
            "birth-registered": Evidence(BORN),
            # Chosen years before the birth: that is her own doctor, not the baby's.
            "family-doctor-registered": Evidence(date(2015, 3, 1)),
        },
    )
    event = registry_event("child-birth", facts, TODAY)
    assert event == BORN

    result = progress(BIRTH, event, facts, TODAY)

    states = [s.state for s in result.steps]
    assert states == [
        StepState.DONE,
        StepState.AUTOMATIC,
        StepState.DUE,
        StepState.OPEN,
        StepState.DUE,
        StepState.OVERDUE,
    ]
    declare = result.steps[2]
    assert declare.due == date(2026, 12, 7)  # 6 December is a Sunday: the next working day
    assert declare.days_left == 10
    assert declare.workspace_url == "/"
    assert result.steps[4].due == date(2027, 5, 6)
    assert result.steps[5].due == date(2026, 11, 11)
    assert result.steps[5].days_left == -16
    assert result.steps[5].workspace_url == "/obligations"
    assert (result.done, result.due) == (1, 3)


def test_a_visitor_sees_dates_from_the_date_they_give_but_nothing_done() -> None:
    result = progress(BIRTH, BORN, None, TODAY)
    assert [s.state for s in result.steps][:3] == [
        StepState.DUE,
        StepState.AUTOMATIC,
        StepState.DUE,
    ]
    assert all(s.workspace_url is None for s in result.steps)


def test_without_an_event_no_step_has_a_date() -> None:
    result = progress(BIRTH, None, PersonalFacts(), TODAY)
    assert all(s.due is None for s in result.steps)
    assert {s.state for s in result.steps} == {StepState.OPEN, StepState.AUTOMATIC}


def test_undated_evidence_counts_only_without_an_event_date() -> None:
    facts = PersonalFacts(evidence={"family-doctor-registered": Evidence()})
    assert progress(BIRTH, None, facts, TODAY).steps[3].state is StepState.DONE
    # With a date, a fact the registry cannot date may be older than the event.
    assert progress(BIRTH, BORN, facts, TODAY).steps[3].state is StepState.OPEN


def test_an_old_child_is_not_the_event() -> None:
    facts = PersonalFacts(children_born=(date(2019, 4, 11),))
    assert registry_event("child-birth", facts, TODAY) is None


def test_kristaps_turning_18_in_three_weeks() -> None:
    facts = PersonalFacts(birth_date=date(2008, 12, 18))
    assert registry_event("turning-18", facts, TODAY) == date(2026, 12, 18)
    assert registry_event("turning-18", facts, date(2026, 6, 1)) is None
    assert registry_event("turning-18", facts, date(2028, 1, 1)) is None


def test_a_leap_day_birthday_in_a_common_year() -> None:
    facts = PersonalFacts(birth_date=date(2008, 2, 29))
    assert registry_event("turning-18", facts, date(2026, 2, 1)) == date(2026, 2, 28)


def test_situations_without_a_registry_event() -> None:
    assert registry_event("buying-vehicle", PersonalFacts(), TODAY) is None


def test_deadlines_count_months_days_and_working_days() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    months = RelativeDeadline(text=_text("x"), months=1)
    assert due_date(months, date(2027, 1, 31)) == date(2027, 3, 1)  # 28 Feb 2027 is a Sunday
    working = RelativeDeadline(text=_text("x"), working_days=5)
    # Friday 13 November 2026 → five working days later, skipping the 18 November holiday.
    assert due_date(working, date(2026, 11, 13)) == date(2026, 11, 23)
    assert due_date(RelativeDeadline(text=_text("x")), BORN) is None
