"""The notification centre's part of the root schema: settings, the in-app list, their mutations.

The root schema (`backend/graphql/schema.py`) merges `QUERIES` and `MUTATIONS` of every
feature, in the order it lists the features."""

from __future__ import annotations

from backend.notifications.graphql.mutations.add_push_subscription import (
    AddPushSubscriptionMutation,
)
from backend.notifications.graphql.mutations.mark_notifications_read import (
    MarkNotificationsReadMutation,
)
from backend.notifications.graphql.mutations.remove_contact import RemoveContactMutation
from backend.notifications.graphql.mutations.remove_push_subscription import (
    RemovePushSubscriptionMutation,
)
from backend.notifications.graphql.mutations.send_test_notification import (
    SendTestNotificationMutation,
)
from backend.notifications.graphql.mutations.send_verification_code import (
    SendVerificationCodeMutation,
)
from backend.notifications.graphql.mutations.set_contact import SetContactMutation
from backend.notifications.graphql.mutations.set_notification_language import (
    SetNotificationLanguageMutation,
)
from backend.notifications.graphql.mutations.set_notification_preferences import (
    SetNotificationPreferencesMutation,
)
from backend.notifications.graphql.mutations.set_quiet_hours import SetQuietHoursMutation
from backend.notifications.graphql.mutations.set_topic_subscription import (
    SetTopicSubscriptionMutation,
)
from backend.notifications.graphql.mutations.verify_contact import VerifyContactMutation
from backend.notifications.graphql.query import NotificationsQuery
from backend.notifications.graphql.topics import NotificationTopicsQuery

QUERIES: tuple[type, ...] = (NotificationsQuery, NotificationTopicsQuery)
MUTATIONS: tuple[type, ...] = (
    AddPushSubscriptionMutation,
    MarkNotificationsReadMutation,
    RemoveContactMutation,
    RemovePushSubscriptionMutation,
    SendTestNotificationMutation,
    SendVerificationCodeMutation,
    SetContactMutation,
    SetNotificationLanguageMutation,
    SetNotificationPreferencesMutation,
    SetQuietHoursMutation,
    SetTopicSubscriptionMutation,
    VerifyContactMutation,
)
