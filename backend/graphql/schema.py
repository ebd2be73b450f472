"""The root schema: every feature's queries and mutations merged, plus the OWASP limits."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from backend.auth.graphql.mutations.grant_delegation import GrantDelegationMutation
from backend.auth.graphql.mutations.logout_everywhere import LogOutEverywhereMutation
from backend.auth.graphql.mutations.revoke_delegation import RevokeDelegationMutation
from backend.auth.graphql.mutations.switch_acting_as import SwitchActingAsMutation
from backend.auth.graphql.query import AuthQuery
from backend.dashboard.graphql.mutations.mark_dashboard_seen import MarkDashboardSeenMutation
from backend.dashboard.graphql.mutations.refresh_dashboard import RefreshDashboardMutation
from backend.dashboard.graphql.mutations.set_source_consent import SetSourceConsentMutation
from backend.eaddress.graphql.mutations.activate_eaddress import ActivateEaddressMutation
from backend.eaddress.graphql.mutations.archive_message import ArchiveMessageMutation
from backend.eaddress.graphql.mutations.deactivate_eaddress import DeactivateEaddressMutation
from backend.eaddress.graphql.mutations.open_message import OpenMessageMutation
from backend.eaddress.graphql.mutations.reply_to_message import ReplyToMessageMutation
from backend.eaddress.graphql.query import EAddressQuery
from backend.graphql.errors import MarkExecution
from backend.graphql.limits import MutationRateLimit
from backend.graphql.system.query import SystemQuery
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
from backend.notifications.graphql.mutations.verify_contact import VerifyContactMutation
from backend.notifications.graphql.query import NotificationsQuery
from backend.obligations.graphql.mutations.acknowledge import AcknowledgeObligationMutation
from backend.obligations.graphql.mutations.create_calendar_feed import CreateCalendarFeedMutation
from backend.obligations.graphql.mutations.mark_done import MarkObligationDoneMutation
from backend.obligations.graphql.mutations.report_move import ReportMoveMutation
from backend.obligations.graphql.mutations.revoke_calendar_feed import RevokeCalendarFeedMutation
from backend.obligations.graphql.mutations.snooze import SnoozeObligationMutation
from backend.obligations.graphql.query import ObligationsQuery
from backend.settings import GraphQLSettings

QUERIES: tuple[type, ...] = (
    SystemQuery,
    AuthQuery,
    ObligationsQuery,
    EAddressQuery,
    NotificationsQuery,
)
MUTATIONS: tuple[type, ...] = (
    SwitchActingAsMutation,
    GrantDelegationMutation,
    RevokeDelegationMutation,
    LogOutEverywhereMutation,
    MarkObligationDoneMutation,
    SnoozeObligationMutation,
    AcknowledgeObligationMutation,
    ReportMoveMutation,
    CreateCalendarFeedMutation,
    RevokeCalendarFeedMutation,
    RefreshDashboardMutation,
    MarkDashboardSeenMutation,
    SetSourceConsentMutation,
    OpenMessageMutation,
    ReplyToMessageMutation,
    ArchiveMessageMutation,
    ActivateEaddressMutation,
    DeactivateEaddressMutation,
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
    VerifyContactMutation,
)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)


class Schema(strawberry.Schema):
    """Strawberry's schema without its error logging: that logs the query text, which may carry
    personal data. `public_error` logs unexpected errors by type and place instead."""

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None


def build_schema(settings: GraphQLSettings, *, introspection: bool) -> Schema:
    """The schema with its limits. Extensions are factories: one instance per operation."""
    # The depth and alias rules are built once per schema, not per operation as
    # QueryDepthLimiter / MaxAliasesLimiter do: ValidationCache keys on the rule classes, so a
    # fresh class per operation made every validation a miss (24 ms for a dashboard query).
    limits: list[type[ASTValidationRule]] = [
        depth_rule(settings.max_depth, None),
        aliases_rule(settings.max_aliases),
    ]
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        MarkExecution,
        MutationRateLimit,
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(AddValidationRules, limits),
        partial(ParserCache, maxsize=1024),
        partial(ValidationCache, maxsize=1024),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=True),
    )
