"""notificationSettings, notifications and vapidPublicKey."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from backend.auth.graphql.types import Subject
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of
from backend.lib.errors import BadInput
from backend.notifications import service
from backend.notifications.graphql.types import (
    ContactType,
    DeviceType,
    NotificationItem,
    NotificationPreference,
    NotificationPreviewLine,
    QuietHoursType,
    subject_for,
)
from backend.notifications.preferences.contacts import contact_address
from backend.notifications.render.senders import with_senders
from backend.settings import SettingsError


@strawberry.type(description="Everything the notification settings page shows, for one subject.")
class NotificationSettings:
    subject: Subject
    preferences: list[NotificationPreference] = strawberry.field(
        description="Categories × channels for this subject (defaults filled in)."
    )
    quiet_hours: QuietHoursType = strawberry.field(description="The person's, for every subject.")
    language: str
    contacts: list[ContactType]
    devices: list[DeviceType]
    preview: list[NotificationPreviewLine] = strawberry.field(
        description="What would reach me where, for this subject, if it happened now."
    )


@strawberry.type(description="A page of in-app notifications, newest first.")
class NotificationList:
    items: list[NotificationItem]
    unread_count: int
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_more: bool


def _cursor(item: NotificationItem) -> str:
    return f"{item.created_at.isoformat()}|{item.id}"


def _parse_cursor(after: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, item_id = after.split("|", 1)
        return datetime.fromisoformat(at), uuid.UUID(item_id)
    except ValueError:
        raise BadInput("That cursor is not from this list.", code="invalid_cursor") from None


@strawberry.type
class NotificationsQuery:
    @strawberry.field(
        description="The viewer's notification settings for themselves (default) or a "
        "subject they act for; `forbidden` for anyone else, `step_up_required` for a company "
        "behind a login weaker than acting for it needs.",
        permission_classes=[IsAuthenticated],
    )
    async def notification_settings(
        self, info: Info, subject_id: strawberry.ID | None = None
    ) -> NotificationSettings:
        access = await subject_for(info, subject_id)
        person = viewer_of(info).person.id
        matrix = await service.preferences_matrix(person, access.key)
        choices = (await service.person_choices([person]))[person]
        contacts = [
            ContactType.build(view, await contact_address(person, view.kind) or "")
            for view in await service.list_contacts(person)
        ]
        return NotificationSettings(
            subject=Subject.from_access(access),
            preferences=[
                NotificationPreference.build(category, channel, enabled)
                for category, channels in matrix.items()
                for channel, enabled in channels.items()
            ],
            quiet_hours=QuietHoursType.build(choices.quiet),
            language=choices.language,
            contacts=contacts,
            devices=[DeviceType.build(d) for d in await service.list_devices(person)],
            preview=[
                NotificationPreviewLine.build(line)
                for line in await service.preview_for(person, [access.key])
            ],
        )

    @strawberry.field(
        description="The viewer's in-app notifications, newest first (`first` at most 100).",
        permission_classes=[IsAuthenticated],
    )
    async def notifications(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        unread_only: bool = False,
    ) -> NotificationList:
        person = viewer_of(info).person.id
        if not 1 <= first <= 100:
            raise BadInput("`first` must be between 1 and 100.", code="invalid_page_size")
        before = _parse_cursor(after) if after else None
        found = await service.list_items(
            person,
            info.context.services.settings.web.public_url,
            unread_only=unread_only,
            limit=first + 1,
            before=before,
        )
        services, viewer = info.context.services, viewer_of(info)
        page = await with_senders(
            services.eaddress.access,
            services.settings.auth,
            viewer.person.id,
            viewer.level,
            found[:first],
        )
        items = [NotificationItem.build(item) for item in page]
        return NotificationList(
            items=items,
            unread_count=await service.unread_count(person),
            end_cursor=_cursor(items[-1]) if items else None,
            has_more=len(found) > first,
        )

    @strawberry.field(
        description="The VAPID public key for PushManager.subscribe (null while Web Push is "
        "not configured)."
    )
    def vapid_public_key(self, info: Info) -> str | None:
        try:
            return info.context.services.notifications.vapid_public_key
        except SettingsError:
            return None
