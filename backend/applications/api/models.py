"""Bodies of the applications API for institutions, as msgspec structs (Litestar documents them
in the OpenAPI; the answers are converted to them, so the document and the answer agree)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

import msgspec

StatusName = Literal[
    "submitted", "received", "in_progress", "needs_information", "decided", "closed"
]
StepTarget = Literal["received", "in_progress", "needs_information", "decided", "closed"]
OutcomeName = Literal["granted", "refused", "partly"]


class TransitionIn(msgspec.Struct, forbid_unknown_fields=True):
    to: StepTarget
    outcome: OutcomeName | None = None
    note: str = ""


class MessageOut(msgspec.Struct):
    """The official e-address message this step sent the applicant."""

    id: uuid.UUID
    deemed_delivered_on: date
    """When it counts as received (Notification Law, Art. 9): the 2nd working day after
    sending."""


class StepOut(msgspec.Struct):
    at: datetime
    from_: str | None = msgspec.field(name="from")
    to: str
    actor: Literal["person", "institution", "system"]
    note: str
    outcome: OutcomeName | None
    message: MessageOut | None


class ApplicantOut(msgspec.Struct):
    """The applicant as the e-address names recipients."""

    type: Literal["personal_code", "company"]
    id: str


class SourceOut(msgspec.Struct):
    source: str
    as_of: str | None


class ApplicationOut(msgspec.Struct):
    id: uuid.UUID
    service: str
    """The catalogue's service id."""
    status: StatusName
    outcome: OutcomeName | None
    applicant: ApplicantOut
    answers: dict[str, str]
    """Field id → answer, as the service's form defines them."""
    prefilled_from: dict[str, SourceOut]
    """Answers that are what a register showed: field id → the register and its as-of time."""
    submitted_at: datetime | None
    updated_at: datetime
    url: str
    """The case page the applicant sees."""
    timeline: list[StepOut]


class ApplicationsPage(msgspec.Struct):
    items: list[ApplicationOut]
    next_cursor: str | None
    """Pass as `cursor` for the next page; null on the last page."""


class TransitionOut(msgspec.Struct):
    application: ApplicationOut
    """The application after the step."""
    step_id: uuid.UUID
    message: MessageOut | None
    """The official message this step sent the applicant (a decision, a request for
    information); null for other steps, or when the applicant has no active e-address (then
    deliver the document otherwise)."""
