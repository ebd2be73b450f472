"""Feedback tables: one row per answer to "Was this page useful?", and which institution each
answer is routed to (the institutions responsible for the page in the catalogue)."""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class PageFeedback(Table, tablename="page_feedback"):
    """One answer. Nothing here identifies the person: no session, subject or address."""

    id = UUID(primary_key=True)
    path = Varchar(length=300)
    """The page's path without its query string (a query may carry what someone searched)."""
    section = Varchar(length=40)
    """The path's first segment (`services`, `mail` …; `home` for `/`): the statistics' unit."""
    useful = Boolean()
    comment = Text(null=True, default=None)
    """What the person was looking for, masked (backend/feedback/masking.py); only on "no"."""
    language = Varchar(length=5)
    signed_in = Boolean(default=False)
    """Whether it came from the workspace (signed in) or the public site."""
    created_at = Timestamptz(default=TimestamptzNow())


class FeedbackRoute(Table, tablename="feedback_route"):
    """An answer attributed to an institution responsible for the page: a service's
    institution, each institution of a life situation, an institution's own page."""

    id = UUID(primary_key=True)
    feedback = ForeignKey(references=PageFeedback, null=False, on_delete=OnDelete.cascade)
    institution = Varchar(length=80, index=True)
    """The catalogue institution's id (`pmlp`, `vid` …)."""
    entry_kind = Varchar(length=20)
    """`services`, `life_situations` or `institutions`."""
    entry_id = Varchar(length=80)


class ProblemReport(Table, tablename="problem_report"):
    """A problem someone reported with a page. The reporter follows it by its reference and
    the key in the link they were given (never stored: an HMAC of the reference)."""

    id = UUID(primary_key=True)
    reference = Varchar(length=20, unique=True)
    """What the reporter quotes, e.g. `P-7KQ2M9XD`."""
    kind = Varchar(length=10)
    """`technical` or `content`."""
    path = Varchar(length=300)
    description = Text()
    """Masked like a page comment (backend/feedback/masking.py)."""
    browser = Text(null=True, default=None)
    """The browser's User-Agent, only when the reporter ticked that we may keep it."""
    language = Varchar(length=5)
    institution = Varchar(length=80, null=True, default=None, index=True)
    """The catalogue institution responsible for the page, if any: it sees and answers it."""
    status = Varchar(length=12, default="received")
    """`received`, `in_progress` or `resolved`."""
    answer = Text(null=True, default=None)
    """The institution's (or the portal team's) answer the reporter reads."""
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ServiceRating(Table, tablename="service_rating"):
    """A rating of an e-service (1-5, an optional comment) by the person whose application
    was decided. One per application: a second rating replaces the first. The application is
    named only by a keyed hash, so a rating cannot be traced back to the person."""

    id = UUID(primary_key=True)
    application_key = Varchar(length=64, unique=True)
    """HMAC-SHA256 of the application id under SECRET_KEY."""
    service = Varchar(length=80, index=True)
    """The catalogue's service id."""
    institution = Varchar(length=80, null=True, default=None, index=True)
    score = Integer()
    comment = Text(null=True, default=None)
    """Masked (backend/feedback/masking.py)."""
    created_at = Timestamptz(default=TimestamptzNow())


class SurveyResponse(Table, tablename="survey_response"):
    """One person's yearly answers: NPS (0-10) and the ten SUS items (1-5). The person is
    named only by a keyed hash of their id and the year, which allows one answer a year and
    leads back to nobody."""

    id = UUID(primary_key=True)
    respondent_key = Varchar(length=64, unique=True)
    """HMAC-SHA256 of `person id:year` under SECRET_KEY."""
    quarter = Varchar(length=7, index=True)
    """`2026-Q4`: what the statistics group by."""
    nps = Integer()
    sus_score = Integer()
    """The SUS score × 10 (0-1000), an integer on both engines; divide by 10."""
    created_at = Timestamptz(default=TimestamptzNow())
