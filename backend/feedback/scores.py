"""The standard satisfaction scores, as pure functions.

- System Usability Scale (Brooke, J. 1996, "SUS: a 'quick and dirty' usability scale"): ten
  items answered 1-5; odd items contribute score − 1, even items 5 − score; the sum × 2.5
  gives 0-100.
- Net Promoter Score (Reichheld 2003): answers 0-10; the percentage of promoters (9-10) minus
  the percentage of detractors (0-6), from −100 to 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

SUS_ITEMS = 10


def sus_score(answers: Sequence[int]) -> float:
    """One questionnaire's SUS score (0-100); ValueError unless ten answers of 1-5."""
    if len(answers) != SUS_ITEMS or any(not 1 <= a <= 5 for a in answers):
        raise ValueError("SUS needs ten answers, each from 1 to 5.")
    total = sum((a - 1) if n % 2 == 0 else (5 - a) for n, a in enumerate(answers))
    return total * 2.5


def nps(answers: Iterable[int]) -> float | None:
    """The Net Promoter Score of the answers (0-10 each), or None when there are none."""
    values = list(answers)
    if any(not 0 <= a <= 10 for a in values):
        raise ValueError("NPS answers are from 0 to 10.")
    if not values:
        return None
    promoters = sum(1 for a in values if a >= 9)
    detractors = sum(1 for a in values if a <= 6)
    return 100 * (promoters - detractors) / len(values)
