"""How the sandbox's institutions treat a case (pure): receive at once, decide after the wait,
ask for information at most once, and the same case always meets the same fate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from integrations.devstack.institutions import _fate, next_step

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
WAIT = timedelta(seconds=60)


def case(status: str, ident: str, *, ago_s: int, asked: bool = False) -> dict[str, Any]:
    steps = [{"to": "submitted", "at": (NOW - timedelta(hours=1)).isoformat()}]
    if asked:
        steps.append({"to": "needs_information", "at": (NOW - timedelta(minutes=30)).isoformat()})
    steps.append({"to": status, "at": (NOW - timedelta(seconds=ago_s)).isoformat()})
    return {"id": ident, "status": status, "timeline": steps}


def ids_with(fates: set[int]) -> str:
    return next(f"case-{n}" for n in range(1000) if _fate(f"case-{n}") in fates)


def test_a_submitted_case_is_received_at_once() -> None:
    assert next_step(case("submitted", "a", ago_s=0), now=NOW, wait=WAIT) == {
        "to": "received",
        "note": "",
    }


def test_a_case_is_decided_only_after_the_wait() -> None:
    granted = ids_with({9})
    assert next_step(case("received", granted, ago_s=59), now=NOW, wait=WAIT) is None
    step = next_step(case("received", granted, ago_s=60), now=NOW, wait=WAIT)
    assert step == {"to": "decided", "outcome": "granted", "note": ""}


def test_some_cases_are_asked_for_information_once_then_decided() -> None:
    asked = ids_with({0, 1})
    first = next_step(case("in_progress", asked, ago_s=120), now=NOW, wait=WAIT)
    assert first is not None
    assert first["to"] == "needs_information"
    assert first["note"]
    then = next_step(case("in_progress", asked, ago_s=120, asked=True), now=NOW, wait=WAIT)
    assert then is not None
    assert then["to"] == "decided"


def test_some_cases_are_refused_with_a_reason() -> None:
    step = next_step(case("received", ids_with({2}), ago_s=120), now=NOW, wait=WAIT)
    assert step is not None
    assert step["outcome"] == "refused"
    assert step["note"]


def test_waiting_for_the_person_or_decided_is_left_alone() -> None:
    for status in ("needs_information", "decided", "closed"):
        assert next_step(case(status, "x", ago_s=999), now=NOW, wait=WAIT) is None
