"""Problem reports: filed from any page, answered by the institution responsible for the page
(or the portal team), followed by the reporter through a link with their reference number.

The reporter is not identified: the link they get carries a key, the HMAC of the reference
under the site's secret, so only someone given the link sees the report, and no key is
stored. The description is masked before storing; the browser's User-Agent is kept only when
the reporter ticks that we may.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.catalogue.service import CatalogueService
from backend.feedback.masking import mask_personal_data
from backend.feedback.service import Page, routes_for
from backend.feedback.tables import ProblemReport
from backend.lib.db import unique_violation
from backend.lib.errors import BadInput, NotFound
from backend.lib.time import as_utc

KINDS = ("technical", "content")
STATUSES = ("received", "in_progress", "resolved")
MAX_DESCRIPTION = 2000
MAX_ANSWER = 4000
MAX_BROWSER = 400
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's: no I, L, O, U to misread


def new_reference() -> str:
    return "P-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def access_key(secret: str, reference: str) -> str:
    mac = hmac.new(secret.encode(), f"problem-report:{reference}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def key_matches(secret: str, reference: str, key: str) -> bool:
    # compare_digest raises for non-ASCII text: such a key simply does not match.
    return key.isascii() and hmac.compare_digest(access_key(secret, reference), key)


def parse_kind(raw: str) -> str:
    if raw not in KINDS:
        raise BadInput("Choose what kind of problem it is.", code="invalid_kind")
    return raw


def parse_description(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise BadInput("Describe the problem.", code="description_missing")
    if len(text) > MAX_DESCRIPTION:
        raise BadInput(f"Write at most {MAX_DESCRIPTION} characters.", code="description_too_long")
    return mask_personal_data(text)


@dataclass(frozen=True)
class Report:
    reference: str
    kind: str
    path: str
    description: str
    status: str
    answer: str | None
    institution: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> Report:
        return cls(
            reference=row["reference"], kind=row["kind"], path=row["path"],
            description=row["description"], status=row["status"], answer=row["answer"],
            institution=row["institution"], created_at=as_utc(row["created_at"]),
            updated_at=as_utc(row["updated_at"]),
        )  # fmt: skip


async def file_report(
    catalogue: CatalogueService,
    *,
    page: Page,
    kind: str,
    description: str,
    browser: str | None,
    language: str,
    now: datetime,
) -> str:
    """Store the report; its reference number."""
    routes = routes_for(page.path, catalogue)
    reference = new_reference()
    async with unique_violation("Please send the report again.", code="reference_taken"):
        await ProblemReport.insert(
            ProblemReport(
                id=uuid.uuid4(), reference=reference, kind=kind, path=page.path,
                description=description,
                browser=browser[:MAX_BROWSER] if browser else None,
                language=language, institution=routes[0][0] if routes else None,
                status="received", created_at=now, updated_at=now,
            )
        ).run()  # fmt: skip
    return reference


async def report(reference: str) -> Report | None:
    row = await ProblemReport.select().where(ProblemReport.reference == reference).first().run()
    return None if row is None else Report.of(row)


async def reports_for(institution: str, limit: int) -> list[Report]:
    rows = (
        await ProblemReport.select()
        .where(ProblemReport.institution == institution)
        .order_by(ProblemReport.created_at, ascending=False)
        .limit(limit)
        .run()
    )
    return [Report.of(r) for r in rows]


async def answer_report(
    institution: str, reference: str, *, status: str, answer: str | None, now: datetime
) -> Report:
    """Set the status (and the answer the reporter reads) of one of `institution`'s reports."""
    if status not in STATUSES:
        raise BadInput(f"`status` must be one of {', '.join(STATUSES)}.", code="invalid_status")
    if answer is not None and len(answer) > MAX_ANSWER:
        raise BadInput(f"`answer` is at most {MAX_ANSWER} characters.", code="answer_too_long")
    found = await report(reference)
    # Another institution's report is as absent as one that does not exist.
    if found is None or found.institution != institution:
        raise NotFound("You have no report with this reference.", code="report_not_found")
    await (
        ProblemReport.update(
            {
                ProblemReport.status: status,
                ProblemReport.answer: answer,
                ProblemReport.updated_at: now,
            }
        )
        .where(ProblemReport.reference == reference)
        .run()
    )
    return await report(reference) or found
