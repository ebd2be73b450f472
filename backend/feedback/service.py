"""Recording answers to "Was this page useful?", routing them to the responsible institutions,
and reading them back: per institution (its API) and per section (the public statistics).

An answer names a page by its path only: the query string is dropped before anything is
stored, since it may carry what someone searched for. A comment is masked before storing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from backend.catalogue.service import CatalogueService
from backend.feedback.masking import mask_personal_data
from backend.feedback.tables import FeedbackRoute, PageFeedback
from backend.lib.db import transaction
from backend.lib.errors import BadInput
from backend.lib.time import as_utc

MAX_PATH = 300
MAX_RETURN = 2000
MAX_COMMENT = 500
SECTION_MAX = 40


@dataclass(frozen=True)
class Page:
    path: str
    """What is stored: the path alone."""
    back: str
    """Where a form post returns to: the path and its query, as the person saw the page."""


def parse_page(raw: str) -> Page:
    """The page a form names, or BadInput unless it is a path on this site."""
    refused = BadInput("The page is not one of this site's pages.", code="invalid_page")
    if not raw or len(raw) > MAX_RETURN or not raw.isprintable() or "\\" in raw:
        raise refused
    if not raw.startswith("/") or raw.startswith("//"):
        raise refused
    try:
        parts = urlsplit(raw)
    except ValueError:  # e.g. an unbalanced "[" where a host could be
        raise refused from None
    if parts.scheme or parts.netloc:
        raise refused
    if len(parts.path) > MAX_PATH:
        raise BadInput("The page address is too long.", code="invalid_page")
    back = parts.path + (f"?{parts.query}" if parts.query else "")
    return Page(path=parts.path, back=back)


def parse_useful(raw: str) -> bool:
    if raw not in ("yes", "no"):
        raise BadInput("Answer yes or no.", code="invalid_answer")
    return raw == "yes"


def parse_comment(raw: str, *, useful: bool) -> str | None:
    """The comment as it will be stored (masked), or None. Only a "no" carries one."""
    text = " ".join(raw.split())
    if useful or not text:
        return None
    if len(text) > MAX_COMMENT:
        raise BadInput(f"Write at most {MAX_COMMENT} characters.", code="comment_too_long")
    return mask_personal_data(text)


def section_of(path: str) -> str:
    """The statistics' unit: the path's first segment (`services`, `mail`), `home` for `/`."""
    first = path.strip("/").split("/", 1)[0]
    return first[:SECTION_MAX] if first else "home"


def routes_for(path: str, catalogue: CatalogueService) -> list[tuple[str, str, str]]:
    """(institution, entry kind, entry id) for each institution responsible for the page."""
    segments = path.strip("/").split("/")
    if len(segments) != 2:
        return []
    kind, slug = segments
    if kind == "services" and (service := catalogue.service(slug)) is not None:
        return [(service.institution, "services", service.id)]
    if kind == "life-situations" and (situation := catalogue.life_situation(slug)) is not None:
        owners = dict.fromkeys(situation.institutions)  # each once, in the entry's order
        return [(owner, "life_situations", situation.id) for owner in owners]
    if kind == "institutions" and (institution := catalogue.institution(slug)) is not None:
        return [(institution.id, "institutions", institution.id)]
    return []


async def record(
    engine: Any,
    catalogue: CatalogueService,
    *,
    page: Page,
    useful: bool,
    comment: str | None,
    language: str,
    signed_in: bool,
    now: datetime,
) -> uuid.UUID:
    """Store one answer and its routes, atomically."""
    feedback_id = uuid.uuid4()
    routes = routes_for(page.path, catalogue)
    async with transaction(engine):
        await PageFeedback.insert(
            PageFeedback(
                id=feedback_id,
                path=page.path,
                section=section_of(page.path),
                useful=useful,
                comment=comment,
                language=language,
                signed_in=signed_in,
                created_at=now,
            )
        ).run()
        if routes:
            await FeedbackRoute.insert(
                *[
                    FeedbackRoute(
                        id=uuid.uuid4(),
                        feedback=feedback_id,
                        institution=owner,
                        entry_kind=kind,
                        entry_id=entry_id,
                    )
                    for owner, kind, entry_id in routes
                ]
            ).run()
    return feedback_id


@dataclass(frozen=True)
class Counts:
    key: str
    yes: int
    no: int

    @property
    def total(self) -> int:
        return self.yes + self.no


async def page_counts(institution: str) -> list[Counts]:
    """Yes and no per page routed to `institution`, by path."""
    rows = await FeedbackRoute.raw(
        "SELECT f.path AS key, SUM(CASE WHEN f.useful THEN 1 ELSE 0 END) AS yes, "
        "SUM(CASE WHEN f.useful THEN 0 ELSE 1 END) AS no "
        "FROM feedback_route r JOIN page_feedback f ON f.id = r.feedback "
        "WHERE r.institution = {} GROUP BY f.path ORDER BY f.path",
        institution,
    ).run()
    return [Counts(str(r["key"]), int(r["yes"]), int(r["no"])) for r in rows]


async def section_counts() -> list[Counts]:
    """Yes and no per section over every page, by section."""
    rows = await PageFeedback.raw(
        "SELECT section AS key, SUM(CASE WHEN useful THEN 1 ELSE 0 END) AS yes, "
        "SUM(CASE WHEN useful THEN 0 ELSE 1 END) AS no "
        "FROM page_feedback GROUP BY section ORDER BY section"
    ).run()
    return [Counts(str(r["key"]), int(r["yes"]), int(r["no"])) for r in rows]


@dataclass(frozen=True)
class Comment:
    id: uuid.UUID
    path: str
    comment: str
    language: str
    created_at: datetime


async def comments(institution: str, limit: int) -> list[Comment]:
    """The newest comments on `institution`'s pages (masked when they were stored)."""
    fb = FeedbackRoute.feedback
    rows = (
        await FeedbackRoute.select(
            fb.id.as_alias("id"),
            fb.path.as_alias("path"),
            fb.comment.as_alias("comment"),
            fb.language.as_alias("language"),
            fb.created_at.as_alias("created_at"),
        )
        .where((FeedbackRoute.institution == institution) & fb.comment.is_not_null())
        .order_by(fb.created_at, ascending=False)
        .limit(limit)
        .run()
    )
    return [
        Comment(
            id=r["id"] if isinstance(r["id"], uuid.UUID) else uuid.UUID(str(r["id"])),
            path=r["path"],
            comment=r["comment"],
            language=r["language"],
            created_at=as_utc(r["created_at"]),
        )
        for r in rows
    ]
