"""GraphQL types of the notification centre, and the helpers every resolver shares."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum

import strawberry

from backend.auth.subjects import SubjectAccess
from backend.graphql.context import Info
from backend.graphql.permissions import subject_access, viewer_of
from backend.graphql.results import InvalidInput
from backend.lib.errors import AppError
from backend.notifications.channels.inapp import InAppItem
from backend.notifications.engine.decide import PreviewLine, QuietHours
from backend.notifications.model import MANDATORY, Category, Channel
from backend.notifications.preferences.contacts import ContactView
from backend.notifications.preferences.devices import DeviceView


@strawberry.enum(name="NotificationCategory")
class CategoryEnum(Enum):
    EADDRESS = "eaddress"
    OBLIGATIONS = "obligations"
    BENEFITS = "benefits"
    REGISTRY_CHANGES = "registry_changes"
    SERVICE_NEWS = "service_news"
    APPLICATIONS = "applications"


@strawberry.enum(name="NotificationChannel")
class ChannelEnum(Enum):
    PUSH = "push"
    EMAIL = "email"
    SMS = "sms"
    INAPP = "inapp"


@strawberry.enum(name="ContactKind")
class ContactKind(Enum):
    EMAIL = "email"
    PHONE = "phone"


def minutes_to_hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


@strawberry.type(description="One cell of the matrix: a category on a channel for a subject.")
class NotificationPreference:
    category: CategoryEnum
    channel: ChannelEnum
    enabled: bool
    locked: bool = strawberry.field(
        description="Cannot be switched off (the in-app notice of an official message)."
    )

    @classmethod
    def build(cls, category: str, channel: str, enabled: bool) -> NotificationPreference:
        locked = (Category(category), Channel(channel)) in MANDATORY
        return cls(
            category=CategoryEnum(category),
            channel=ChannelEnum(channel),
            enabled=enabled,
            locked=locked,
        )


@strawberry.type(
    name="QuietHours", description="Quiet hours in Riga time (HH:MM): push and SMS wait."
)
class QuietHoursType:
    start: str
    end: str
    enabled: bool
    legal_bypass: bool = strawberry.field(
        description="Notices of official messages may interrupt quiet hours."
    )

    @classmethod
    def build(cls, quiet: QuietHours) -> QuietHoursType:
        return cls(
            start=minutes_to_hhmm(quiet.start_min),
            end=minutes_to_hhmm(quiet.end_min),
            enabled=quiet.enabled,
            legal_bypass=quiet.legal_bypass,
        )


@strawberry.type(name="NotificationContact", description="An e-mail address or phone number.")
class ContactType:
    kind: ContactKind
    value: str = strawberry.field(description="The address, shown only to its owner.")
    masked: str
    verified: bool
    healthy: bool

    @classmethod
    def build(cls, view: ContactView, value: str) -> ContactType:
        return cls(
            kind=ContactKind(view.kind),
            value=value,
            masked=view.masked,
            verified=view.verified,
            healthy=view.healthy,
        )


@strawberry.type(name="PushDevice", description="A browser or installed app receiving push.")
class DeviceType:
    id: strawberry.ID
    label: str
    created_at: datetime
    last_success_at: datetime | None
    healthy: bool

    @classmethod
    def build(cls, view: DeviceView) -> DeviceType:
        return cls(
            id=strawberry.ID(str(view.id)),
            label=view.label,
            created_at=view.created_at,
            last_success_at=view.last_success_at,
            healthy=view.healthy,
        )


@strawberry.type(description="Where a notice of one category would reach me if it came now.")
class NotificationPreviewLine:
    subject_id: strawberry.ID
    category: CategoryEnum
    now: list[ChannelEnum]
    later: list[ChannelEnum]
    deliver_later_at: datetime | None
    warning: str | None = strawberry.field(
        description="For official messages: why nothing but in-app would carry it "
        "(off, no_contact, contact_unverified, channels_unhealthy, no_channel_configured)."
    )

    @classmethod
    def build(cls, line: PreviewLine) -> NotificationPreviewLine:
        return cls(
            subject_id=strawberry.ID(line.subject_key),
            category=CategoryEnum(line.category.value),
            now=[ChannelEnum(c.value) for c in line.now],
            later=[ChannelEnum(c.value) for c in line.later],
            deliver_later_at=line.deliver_later_at,
            warning=line.warning.value if line.warning else None,
        )


@strawberry.type(name="Notification", description="One in-app notification.")
class NotificationItem:
    id: strawberry.ID
    subject_id: strawberry.ID
    category: str
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool

    @classmethod
    def build(cls, item: InAppItem) -> NotificationItem:
        return cls(
            id=strawberry.ID(str(item.id)),
            subject_id=strawberry.ID(item.subject_key),
            category=item.category,
            title=item.title,
            body=item.body,
            link=item.link,
            created_at=item.created_at,
            read=item.read,
        )


async def subject_for(info: Info, subject_id: strawberry.ID | None) -> SubjectAccess:
    """The subject whose preferences are meant: the viewer themselves by default, or one they
    may act for, through the one guard (`subject_access`): anyone else's → Forbidden, a
    company behind a login weaker than `AUTH_MIN_LEVEL_COMPANY` → StepUpNeeded."""
    viewer = viewer_of(info)
    key = str(subject_id) if subject_id else viewer.person.subject_key
    return await subject_access(
        info, key, message="You may not see or change notifications for that person or company."
    )


def invalid(exc: AppError, field: str | None = None) -> InvalidInput:
    """An expected failure as the `InvalidInput` member of a result union (its code kept)."""
    return InvalidInput(message=exc.message, code=exc.code, field=field)


async def contact_type(person_id: uuid.UUID, view: ContactView) -> ContactType:
    from backend.notifications.preferences.contacts import contact_address

    return ContactType.build(view, await contact_address(person_id, view.kind) or "")
