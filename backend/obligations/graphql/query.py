from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from backend.auth.graphql.types import Subject
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.lib.errors import BadInput
from backend.lib.texts import render
from backend.obligations import catalogue_links, feeds
from backend.obligations.graphql.types import (
    CalendarFeed,
    ObligationsOverview,
    ObligationType,
    OpportunityType,
    SeasonalHighlight,
    SkippedRule,
    resolve_subject,
)
from backend.obligations.rules.seasonal import seasonal_highlights
from backend.obligations.service import current


@strawberry.type
class ObligationsQuery:
    @strawberry.field(
        description="Obligations due in [from, to] (overdue ones too when `from` is not given), "
        "opportunities and unchecked rules of the viewer's acting-as subject, or of `subjectId` "
        "when the viewer may see its obligations. Error `forbidden` for any other subject; "
        "`step_up_required` for a company behind a weak login.",
        permission_classes=[IsAuthenticated],
    )
    async def obligations(
        self,
        info: Info,
        subject_id: strawberry.ID | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> ObligationsOverview:
        if from_ is not None and to is not None and from_ > to:
            raise BadInput("`from` is after `to`.", code="bad_range")
        access, subject = await resolve_subject(info, subject_id)
        view = await current(info.context.services.obligations, subject)
        listed = [
            ObligationType.build(o, view)
            for o in view.obligations
            if (from_ is None or o.due_date >= from_) and (to is None or o.due_date <= to)
        ]
        evaluation = view.evaluation
        opportunities = [OpportunityType.build(o) for o in evaluation.opportunities]
        catalogue = info.context.services.catalogue
        await catalogue.ensure_current()
        # The exact e-service, not an agency's home page.
        for due in listed:
            due.action_url = catalogue_links.action_url(catalogue, due.rule, due.action_url)
        for chance in opportunities:
            chance.action_url = catalogue_links.action_url(
                catalogue, chance.rule, chance.action_url
            )
        return ObligationsOverview(
            subject=Subject.from_access(access),
            today=view.today,
            obligations=listed,
            opportunities=opportunities,
            skipped=[
                SkippedRule(
                    rule=s.rule, reason=s.reason, source=s.source, message=render(s.message)
                )
                for s in evaluation.skipped
            ],
        )

    @strawberry.field(
        description="Seasonal notes for the home page on `on` (default: today in Riga)."
    )
    def seasonal_highlights(self, info: Info, on: date | None = None) -> list[SeasonalHighlight]:
        obligations = info.context.services.obligations
        return [
            SeasonalHighlight(
                id=strawberry.ID(h.id),
                title=render(h.title),
                text=render(h.text),
                starts=h.starts,
                ends=h.ends,
                action_url=h.action_url,
            )
            for h in seasonal_highlights(on or obligations.today(), obligations.rates)
        ]

    @strawberry.field(
        description="The viewer's live calendar feeds (their secret URLs are shown only when "
        "made).",
        permission_classes=[IsAuthenticated],
    )
    async def calendar_feeds(self, info: Info) -> list[CalendarFeed]:
        person = viewer_of(info).person
        return [
            CalendarFeed(subject_id=strawberry.ID(f.subject_key), created_at=f.created_at)
            for f in await feeds.live_feeds(person)
        ]
