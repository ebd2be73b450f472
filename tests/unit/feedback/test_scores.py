"""SUS and NPS by their published formulas."""

from __future__ import annotations

import pytest

from backend.feedback.scores import nps, sus_score


def test_sus_follows_brookes_scoring() -> None:
    # Brooke 1996: odd items score − 1, even items 5 − score, the sum × 2.5.
    assert sus_score([4, 2, 4, 1, 5, 1, 5, 1, 5, 2]) == 90.0  # (3+3+4+4+4 + 3+4+4+4+3) × 2.5
    assert sus_score([5, 1] * 5) == 100.0  # the best possible answers
    assert sus_score([1, 5] * 5) == 0.0  # the worst
    assert sus_score([3] * 10) == 50.0  # neutral on every item
    assert sus_score([4, 2, 3, 2, 4, 3, 4, 2, 3, 2]) == 67.5  # around the reported average 68


@pytest.mark.parametrize("answers", [[3] * 9, [3] * 11, [0] + [3] * 9, [6] + [3] * 9])
def test_sus_refuses_an_incomplete_or_out_of_range_questionnaire(answers: list[int]) -> None:
    with pytest.raises(ValueError, match="ten answers"):
        sus_score(answers)


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    # Ten answers: 5 promoters (9-10), 3 passives (7-8), 2 detractors (0-6) → 50 % − 20 % = 30.
    assert nps([10, 10, 9, 9, 9, 8, 7, 7, 6, 0]) == 30.0
    assert nps([9, 10]) == 100.0
    assert nps([0, 6]) == -100.0
    assert nps([7, 8]) == 0.0  # passives count in the total only
    assert nps([]) is None


def test_nps_refuses_answers_outside_zero_to_ten() -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        nps([11])


def test_survey_answers_are_complete_or_refused_and_grouped_by_quarter() -> None:
    from datetime import UTC, datetime

    from backend.feedback.survey import parse_answers, quarter_of
    from backend.lib.errors import BadInput

    assert parse_answers("10", ["3"] * 10) == (10, [3] * 10)
    for nps_raw, sus in (("", ["3"] * 10), ("7", ["3"] * 9), ("7", ["3"] * 9 + ["6"])):
        with pytest.raises(BadInput):
            parse_answers(nps_raw, sus)
    assert quarter_of(datetime(2026, 12, 5, tzinfo=UTC)) == "2026-Q4"
    assert quarter_of(datetime(2027, 1, 1, tzinfo=UTC)) == "2027-Q1"
