"""GraphQL types that explain the dashboard: each source's status, the changes since my last
visit, consent per source, and who read my data (registry reads and e-address openings)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import strawberry

from backend.dashboard.access_log import AccessEntry, AccessPage
from backend.dashboard.changes import Change, Timeline
from backend.dashboard.consent import ConsentDecision, ConsentState
from backend.dashboard.facts import SourceStatus
from backend.dashboard.graphql.records import DashboardSource
from backend.dashboard.loader import SourceResult
from backend.dashboard.sources import TITLES
from backend.dashboard.subjects import OnBehalf

strawberry.enum(
    SourceStatus,
    name="SourceStatus",
    description="OK: fresh; STALE: the registry failed, the last known answer is shown (asOf); "
    "UNAVAILABLE: it failed and nothing is known; NOT_APPLICABLE: it cannot answer for this "
    "person; WITHHELD: the person withdrew consent for it.",
)
strawberry.enum(OnBehalf, name="DataAccessBasis", description="On whose behalf data was read.")


@strawberry.type(description="How one source answered for this dashboard.")
class SourceState:
    name: DashboardSource
    title: str
    status: SourceStatus
    as_of: datetime | None = strawberry.field(description="When this answer was fetched.")
    reason: str | None = strawberry.field(
        description="Why it is not OK: timeout, connect, http_status, malformed, circuit_open, "
        "unauthorized, no_personal_code, consent_withdrawn or error."
    )
    explanation: str | None

    @classmethod
    def of(cls, result: SourceResult) -> SourceState:
        return cls(
            name=DashboardSource(result.source),
            title=TITLES[result.source],
            status=result.status,
            as_of=result.as_of,
            reason=result.reason,
            explanation=result.explanation,
        )


@strawberry.type
class ChangeFact:
    name: str
    value: str | None


@strawberry.type(description="Something that changed in the person's registry data.")
class DashboardChange:
    id: strawberry.ID
    kind: str = strawberry.field(description="`<item>.<change>`, e.g. `declared_person.added`.")
    item: str = strawberry.field(
        description="declared_address, declared_person, identity_document, child, pension, "
        "family_doctor, vehicle, driving_licence, property, real_estate_tax, "
        "income_declaration or company."
    )
    change: str = strawberry.field(description="added, removed or changed.")
    source: DashboardSource
    detected_at: datetime
    is_new: bool = strawberry.field(description="Detected after the last markDashboardSeen.")
    facts: list[ChangeFact] = strawberry.field(
        description="What to tell it by, e.g. name, property_address, declared_on."
    )

    @classmethod
    def of(cls, change: Change) -> DashboardChange:
        return cls(
            id=strawberry.ID(str(change.id)),
            kind=change.kind,
            item=change.item,
            change=change.change,
            source=DashboardSource(change.source),
            detected_at=change.detected_at,
            is_new=change.is_new,
            facts=[ChangeFact(name=k, value=v) for k, v in sorted(change.facts.items())],
        )


@strawberry.type(description="The timeline of changes, newest first.")
class DashboardChanges:
    seen_up_to: datetime | None = strawberry.field(
        description="Changes detected after this are new; null: never marked seen."
    )
    new_count: int
    entries: list[DashboardChange]

    @classmethod
    def of(cls, timeline: Timeline) -> DashboardChanges:
        return cls(
            seen_up_to=timeline.seen_up_to,
            new_count=timeline.new_count,
            entries=[DashboardChange.of(change) for change in timeline.entries],
        )


@strawberry.type
class ConsentDecisionRecord:
    granted: bool
    at: datetime


@strawberry.type(description="Whether a source may feed the person's dashboard and reminders.")
class SourceConsent:
    source: DashboardSource
    title: str
    granted: bool
    changed_at: datetime | None = strawberry.field(
        description="When the person last decided; null: never (granted by default)."
    )
    history: list[ConsentDecisionRecord]

    @classmethod
    def of(cls, state: ConsentState, decisions: list[ConsentDecision]) -> SourceConsent:
        return cls(
            source=DashboardSource(state.source),
            title=TITLES[state.source],
            granted=state.granted,
            changed_at=state.changed_at,
            history=[
                ConsentDecisionRecord(granted=d.granted, at=d.at)
                for d in decisions
                if d.source == state.source
            ],
        )


@strawberry.enum(description="Where a data-access entry comes from: a registry, or the mailbox.")
class DataAccessSource(StrEnum):
    # The registries (as DashboardSource) and the e-address: a separate enum, so that consent
    # (which takes a DashboardSource) cannot name the mailbox.
    POPULATION_REGISTER = "population_register"
    SSIA = "ssia"
    NHS = "nhs"
    CSDD = "csdd"
    LAND_SERVICE = "land_service"
    SRS = "srs"
    MUNICIPALITIES = "municipalities"
    ENTERPRISE_REGISTER = "enterprise_register"
    EADDRESS = "eaddress"


@strawberry.type(
    description="One registry read made for this subject, or the first opening of a message "
    "of its e-address mailbox (source EADDRESS, purpose message_opened)."
)
class DataAccessEntry:
    id: strawberry.ID
    at: datetime
    source: DataAccessSource
    purpose: str = strawberry.field(
        description="dashboard, dashboard_refresh, a job's name, or message_opened."
    )
    on_behalf: OnBehalf
    actor_id: strawberry.ID | None = strawberry.field(
        description="The person who asked (for a delegate, the delegate); null for a job."
    )
    actor_name: str | None
    outcome: str = strawberry.field(description="ok, or why the read failed.")

    @classmethod
    def of(cls, entry: AccessEntry) -> DataAccessEntry:
        return cls(
            id=strawberry.ID(str(entry.id)),
            at=entry.at,
            source=DataAccessSource(entry.source),
            purpose=entry.purpose,
            on_behalf=entry.on_behalf,
            actor_id=strawberry.ID(str(entry.actor_id)) if entry.actor_id else None,
            actor_name=entry.actor_name,
            outcome=entry.outcome,
        )


@strawberry.type(name="DataAccessPageInfo")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Who read this subject's data, newest first.")
class DataAccessPage:
    entries: list[DataAccessEntry]
    page_info: PageInfo

    @classmethod
    def of(cls, page: AccessPage) -> DataAccessPage:
        return cls(
            entries=[DataAccessEntry.of(entry) for entry in page.entries],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
