"""GraphQL types for obligations, opportunities, skipped-rule notes and calendar feeds, and the
one place resolvers turn a `subjectId` into a subject the viewer may see.

Rules say their texts as `Text` values; they are rendered here, in the request's language
(`i18n.current_language`, set per request from the language cookie or Accept-Language)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from urllib.parse import quote

import strawberry

from backend.auth.graphql.types import Subject
from backend.auth.subjects import SubjectAccess
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of
from backend.lib.texts import render
from backend.obligations import rules
from backend.obligations.access import subject_access
from backend.obligations.rules.base import SkipReason
from backend.obligations.service import SubjectRef, View

strawberry.enum(
    SkipReason,
    name="SkippedReason",
    description="Why a rule could not be checked: a registry did not answer, does not apply to "
    "this person, was withheld; a fact is missing or inconsistent; or our own error.",
)

DUE_SOON_DAYS = 7


@strawberry.enum(description="Where an obligation stands today.")
class ObligationStatus(Enum):
    OVERDUE = "overdue"
    NOW = "now"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"


def status_of(obligation: rules.base.Obligation, today: date) -> ObligationStatus:
    left = obligation.days_left(today)
    if obligation.immediate:
        return ObligationStatus.NOW
    if left < 0:
        return ObligationStatus.OVERDUE
    return ObligationStatus.DUE_SOON if left <= DUE_SOON_DAYS else ObligationStatus.UPCOMING


@strawberry.type(name="Obligation", description="Something the subject must do by a date.")
class ObligationType:
    id: strawberry.ID
    rule: str
    title: str
    description: str
    due_date: date = strawberry.field(description="After the move to a working day.")
    statutory_date: date | None = strawberry.field(
        description="The date the law names, when it fell on a day off and moved."
    )
    window_opens: date | None
    amount: Decimal | None = strawberry.field(description="In euro, when known.")
    late_interest: Decimal | None = strawberry.field(description="Accrued, once overdue.")
    legal_basis: str
    action_url: str
    legal_deadline: bool
    can_mark_done: bool = strawberry.field(
        description="False when the registries confirm it themselves."
    )
    immediate: bool
    days_left: int
    status: ObligationStatus
    reminder_days: list[int]
    acknowledged: bool
    download_url: str = strawberry.field(description="This obligation as an .ics file.")

    @classmethod
    def build(cls, obligation: rules.base.Obligation, view: View) -> ObligationType:
        subject = quote(obligation.subject_key, safe="")
        return cls(
            id=strawberry.ID(obligation.id),
            rule=obligation.rule,
            title=render(obligation.title),
            description=render(obligation.description),
            due_date=obligation.due_date,
            statutory_date=obligation.statutory_date,
            window_opens=obligation.window_opens,
            amount=obligation.amount,
            late_interest=obligation.late_interest,
            legal_basis=render(obligation.legal_basis),
            action_url=obligation.action_url,
            legal_deadline=obligation.legal_deadline,
            can_mark_done=not obligation.state_confirms,
            immediate=obligation.immediate,
            days_left=obligation.days_left(view.today),
            status=status_of(obligation, view.today),
            reminder_days=list(obligation.ladder),
            acknowledged=view.acknowledged(obligation),
            download_url=f"/obligations/{obligation.id}.ics?subject={subject}",
        )


@strawberry.type(description="A fact that makes the subject eligible, and where it comes from.")
class EligibilityFact:
    label: str
    value: str


@strawberry.type(name="Opportunity", description="A benefit or right the subject may use.")
class OpportunityType:
    id: strawberry.ID
    rule: str
    title: str
    explanation: str = strawberry.field(
        description="Why am I seeing this: the facts and their source."
    )
    eligible_because: list[EligibilityFact]
    action_url: str
    apply_by: date | None
    amount: Decimal | None

    @classmethod
    def build(cls, item: rules.base.Opportunity) -> OpportunityType:
        return cls(
            id=strawberry.ID(item.id),
            rule=item.rule,
            title=render(item.title),
            explanation=render(item.explanation),
            eligible_because=[
                EligibilityFact(label=render(e.label), value=render(e.value))
                for e in item.eligible_because
            ],
            action_url=item.action_url,
            apply_by=item.apply_by,
            amount=item.amount,
        )


@strawberry.type(description='A rule that could not be checked: "we could not check X".')
class SkippedRule:
    rule: str
    reason: SkipReason
    source: str | None
    message: str


@strawberry.type(description="A subject's obligations, opportunities and unchecked rules today.")
class ObligationsOverview:
    subject: Subject
    today: date
    obligations: list[ObligationType]
    opportunities: list[OpportunityType]
    skipped: list[SkippedRule]


@strawberry.type(description="A seasonal note for the home page, driven by the date.")
class SeasonalHighlight:
    id: strawberry.ID
    title: str
    text: str
    starts: date
    ends: date
    action_url: str


@strawberry.type(description="A live private calendar feed of the viewer (its URL is secret).")
class CalendarFeed:
    subject_id: strawberry.ID
    created_at: datetime


async def resolve_subject(
    info: Info, subject_id: strawberry.ID | None
) -> tuple[SubjectAccess, SubjectRef]:
    """The viewer's acting-as subject, or `subject_id` if they may see its obligations.

    Raises Forbidden (`forbidden`), or StepUpNeeded (`step_up_required`) for a company behind
    a weak login: `backend.auth.subjects.authorize`, the one guard.
    """
    viewer = viewer_of(info)
    services = info.context.services
    return await subject_access(
        viewer.person,
        str(subject_id) if subject_id else viewer.acting_as,
        services.auth.representations,
        login=(viewer.level, services.settings.auth),
    )
