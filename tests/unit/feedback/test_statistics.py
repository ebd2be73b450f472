"""Usefulness per section: counts below ten are suppressed, unknown sections pooled."""

from __future__ import annotations

from backend.feedback.service import Counts
from backend.feedback.statistics import MIN_COUNT, usefulness

KNOWN = {"home": "Home", "services": "Services", "mail": "Mail"}


def test_shares_are_given_from_ten_answers_and_suppressed_below() -> None:
    rows, everything = usefulness(
        [Counts("services", 9, 3), Counts("mail", 5, 4), Counts("home", 0, 10)], KNOWN
    )
    assert [r.section for r in rows] == ["home", "services", "mail"]
    home, services, mail = rows
    assert (home.yes, home.no, home.share_useful) == (0, 10, 0.0)
    assert (services.yes, services.no, services.share_useful) == (9, 3, 75.0)
    assert mail.suppressed  # 9 answers
    assert (mail.yes, mail.no, mail.share_useful) == (None, None, None)
    assert (everything.yes, everything.no) == (14, 17)


def test_sections_outside_the_known_ones_are_pooled_as_other() -> None:
    rows, _ = usefulness([Counts("x", 6, 0), Counts("y", 4, 1)], KNOWN)
    assert [(r.section, r.yes, r.no) for r in rows] == [("other", 10, 1)]


def test_nothing_answered_yet_is_one_suppressed_total() -> None:
    rows, everything = usefulness([], KNOWN)
    assert rows == []
    assert everything.suppressed
    assert MIN_COUNT == 10
