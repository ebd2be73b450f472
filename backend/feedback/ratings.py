"""Rating an e-service after the application is decided: 1-5 and an optional comment.

Asked on the application's page once it is decided or closed; whether the person may rate is
the application's own guard (they see it, so they may rate it). The application is stored
only as a keyed hash, so one application gives one rating (a second replaces the first) and
no rating leads back to the person.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.feedback.masking import mask_personal_data
from backend.feedback.tables import ServiceRating
from backend.lib.db import transaction
from backend.lib.errors import BadInput

MAX_COMMENT = 1000
RATEABLE = ("DECIDED", "CLOSED")
"""Application statuses (as GraphQL names them) after which the service may be rated."""


def application_key(secret: str, application_id: str) -> str:
    return hmac.new(
        secret.encode(), f"rating:{application_id}".encode(), hashlib.sha256
    ).hexdigest()


def parse_score(raw: str) -> int:
    if raw not in ("1", "2", "3", "4", "5"):
        raise BadInput("Choose a rating from 1 to 5.", code="invalid_score")
    return int(raw)


def parse_comment(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    if len(text) > MAX_COMMENT:
        raise BadInput(f"Write at most {MAX_COMMENT} characters.", code="comment_too_long")
    return mask_personal_data(text)


async def rate(
    engine: Any,
    *,
    key: str,
    service: str,
    institution: str | None,
    score: int,
    comment: str | None,
    now: datetime,
) -> None:
    """Store the rating of the application `key` names, replacing an earlier one."""
    async with transaction(engine):
        await ServiceRating.delete().where(ServiceRating.application_key == key).run()
        await ServiceRating.insert(
            ServiceRating(
                id=uuid.uuid4(), application_key=key, service=service, institution=institution,
                score=score, comment=comment, created_at=now,
            )
        ).run()  # fmt: skip


@dataclass(frozen=True)
class ServiceScore:
    service: str
    ratings: int
    average: float


async def scores_for(institution: str) -> list[ServiceScore]:
    rows = await ServiceRating.raw(
        "SELECT service, COUNT(*) AS n, AVG(score) AS average FROM service_rating "
        "WHERE institution = {} GROUP BY service ORDER BY service",
        institution,
    ).run()
    return [
        ServiceScore(str(r["service"]), int(r["n"]), round(float(r["average"]), 2)) for r in rows
    ]
