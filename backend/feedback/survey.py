"""The yearly satisfaction survey: Net Promoter Score and the System Usability Scale.

A signed-in person answers at most once a calendar year (Europe/Riga). Stored: the quarter,
the NPS answer and the SUS score (scores.py); not the person, only a keyed hash of their id
and the year. The public statistics show both per quarter from ten answers up.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.feedback.scores import SUS_ITEMS, nps, sus_score
from backend.feedback.statistics import MIN_COUNT
from backend.feedback.tables import SurveyResponse
from backend.lib.db import unique_violation
from backend.lib.errors import BadInput


def respondent_key(secret: str, person_id: uuid.UUID, year: int) -> str:
    mac = hmac.new(secret.encode(), f"survey:{person_id}:{year}".encode(), hashlib.sha256)
    return mac.hexdigest()


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def parse_answers(nps_raw: str, sus_raw: Sequence[str]) -> tuple[int, list[int]]:
    """The NPS answer (0-10) and the ten SUS answers (1-5), or BadInput naming what is off."""
    if nps_raw not in {str(n) for n in range(11)}:
        raise BadInput("Choose a number from 0 to 10.", code="invalid_nps")
    if len(sus_raw) != SUS_ITEMS or any(a not in ("1", "2", "3", "4", "5") for a in sus_raw):
        raise BadInput("Answer each of the ten statements.", code="invalid_sus")
    return int(nps_raw), [int(a) for a in sus_raw]


async def answered(key: str) -> bool:
    return bool(await SurveyResponse.exists().where(SurveyResponse.respondent_key == key).run())


async def record(key: str, *, nps_answer: int, sus: list[int], now: datetime) -> None:
    async with unique_violation("You have answered this year's survey.", code="already_answered"):
        await SurveyResponse.insert(
            SurveyResponse(
                id=uuid.uuid4(), respondent_key=key, quarter=quarter_of(now), nps=nps_answer,
                sus_score=round(sus_score(sus) * 10), created_at=now,
            )
        ).run()  # fmt: skip


@dataclass(frozen=True)
class QuarterScores:
    quarter: str
    responses: int
    sus: float | None
    """Mean SUS score (0-100); None below ten responses."""
    nps: float | None
    """NPS (−100…100); None below ten responses."""


async def by_quarter() -> list[QuarterScores]:
    rows: list[dict[str, Any]] = await SurveyResponse.select(
        SurveyResponse.quarter, SurveyResponse.nps, SurveyResponse.sus_score
    ).run()
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["quarter"], []).append(r)
    result = []
    for quarter in sorted(grouped, reverse=True):
        items = grouped[quarter]
        if len(items) < MIN_COUNT:
            result.append(QuarterScores(quarter, len(items), None, None))
            continue
        mean_sus = sum(i["sus_score"] for i in items) / 10 / len(items)
        result.append(
            QuarterScores(quarter, len(items), round(mean_sus, 1), nps(i["nps"] for i in items))
        )
    return result
