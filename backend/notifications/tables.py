"""Tables of the notification centre: choices, contact points, devices, the outbox and its
attempts, in-app notices and the undeliverable legal notices operators must see.

Nothing here holds message content of an e-address message: notices only say that something
arrived (the law), and attempts record outcomes, never what was sent.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import (
    JSON,
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

from backend.lib.db import foreign_key


def _person_key(**options: Any) -> ForeignKey[Table]:
    """A key to auth's `Person` (by name: a feature does not import another's tables)."""
    return foreign_key("backend.auth.tables", "Person", **options)


class PersonSettings(Table, tablename="notify_person_settings"):
    """One row per person who changed anything; absent means the documented defaults."""

    person = _person_key(on_delete=OnDelete.cascade, unique=True)
    language = Varchar(length=2, default="lv")
    quiet_enabled = Boolean(default=True)
    quiet_start_min = Integer(default=22 * 60)
    """Minutes after midnight, Riga time."""
    quiet_end_min = Integer(default=7 * 60)
    legal_bypass_quiet = Boolean(default=False)
    """Legal notices (e-address) may interrupt quiet hours."""
    updated_at = Timestamptz(default=TimestamptzNow())


class Preference(Table, tablename="notify_preference"):
    """A choice that differs from the default, per (person, subject, category, channel)."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade)
    subject_key = Varchar(length=48)
    """`person:<uuid>` (myself) or `company:<registration number>`."""
    category = Varchar(length=20)
    channel = Varchar(length=8)
    enabled = Boolean()
    updated_at = Timestamptz(default=TimestamptzNow())


class ContactPoint(Table, tablename="notify_contact"):
    """A person's e-mail address or phone number; at most one of each kind."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade)
    kind = Varchar(length=8)
    """`email` or `phone`."""
    address = Varchar(length=254)
    """Normalised: e-mail with a lower-case domain, phone in E.164."""
    verified_at = Timestamptz(null=True, default=None)
    code_hash = Varchar(length=64, null=True, default=None)
    """HMAC of the pending verification code; the code itself is never stored."""
    code_expires_at = Timestamptz(null=True, default=None)
    code_attempts = Integer(default=0)
    failures = Integer(default=0)
    """Consecutive failed deliveries (bounces, refusals); a success resets it."""
    unhealthy_since = Timestamptz(null=True, default=None)
    unhealthy_reason = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PushSubscription(Table, tablename="notify_push_subscription"):
    """One browser or installed PWA that subscribed to Web Push."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade, index=True)
    endpoint = Varchar(length=2048, unique=True)
    p256dh = Varchar(length=100)
    auth = Varchar(length=40)
    device_label = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_success_at = Timestamptz(null=True, default=None)
    failures = Integer(default=0)
    unhealthy_since = Timestamptz(null=True, default=None)


class Outbox(Table, tablename="notify_outbox"):
    """One notification for one person on one channel, written in its cause's transaction."""

    id = UUID(primary_key=True)
    dedup_key = Varchar(length=240, unique=True)
    """`<event key>|<person id>|<channel>`: the same event reaches a person once per channel."""
    event_key = Varchar(length=160, index=True)
    person = _person_key(on_delete=OnDelete.cascade)
    subject_key = Varchar(length=48)
    category = Varchar(length=20)
    channel = Varchar(length=8)
    kind = Varchar(length=60)
    """What to say (`messages.KINDS`): the template, not the text."""
    params = JSON(default="{}")
    """Template parameters: identifiers and short labels, never e-address message content."""
    link = Varchar(length=500, default="/")
    """Deep link, a path under PUBLIC_URL."""
    language = Varchar(length=2, default="lv")
    """The person's language when it was queued: what the notice is written in."""
    legal = Boolean(default=False)
    status = Varchar(length=10, default="pending")
    """pending → sending (claimed) → sent | failed | skipped."""
    due_at = Timestamptz(default=TimestamptzNow())
    give_up_at = Timestamptz()
    attempts = Integer(default=0)
    claimed_by = Varchar(length=64, null=True, default=None)
    lease_until = Timestamptz(null=True, default=None)
    delivered_to = JSON(default="[]")
    """Push: the devices that accepted it, so a retry does not buzz them twice."""
    outcome = Varchar(length=40, null=True, default=None)
    """Why it ended failed or skipped (an error class or a Reason), for the reports."""
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


class Attempt(Table, tablename="notify_attempt"):
    """Every delivery attempt: channel, outcome, status code, error class, duration."""

    id = UUID(primary_key=True)
    outbox = ForeignKey(references=Outbox, on_delete=OnDelete.cascade, null=True, default=None)
    """Null for verification messages, which do not go through the outbox."""
    at = Timestamptz(default=TimestamptzNow())
    channel = Varchar(length=8)
    target_id = UUID(null=True, default=None)
    """The device or contact point, by id."""
    outcome = Varchar(length=12)
    """delivered | retry | gone | failed | refused | skipped"""
    status_code = Integer(null=True, default=None)
    error_class = Varchar(length=64, null=True, default=None)
    duration_ms = Integer(default=0)


class InAppNotification(Table, tablename="notify_inapp"):
    """The list a person sees in Vienuviet; text is rendered when read, in their language."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade)
    outbox_id = UUID(unique=True)
    subject_key = Varchar(length=48)
    category = Varchar(length=20)
    kind = Varchar(length=60)
    params = JSON(default="{}")
    link = Varchar(length=500, default="/")
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)


class UndeliveredNotice(Table, tablename="notify_undelivered"):
    """A legal notice that no outreach channel carried: for `vienuviet report undelivered`."""

    id = UUID(primary_key=True)
    event_key = Varchar(length=160)
    person = _person_key(on_delete=OnDelete.cascade)
    reason = Varchar(length=40)
    created_at = Timestamptz(default=TimestamptzNow())
    resolved_at = Timestamptz(null=True, default=None)
    note = Text(default="")
    """Operator's note (what was done instead); no personal data."""


class InstitutionTemplate(Table, tablename="notify_template"):
    """One version of an institution's template (backend/notifications/institutions): texts in
    lv/en/ru with typed placeholders, a category. Versions are never changed, only added."""

    id = UUID(primary_key=True)
    institution = UUID()
    """The e-address institution (API client) that owns it; ids are scoped per institution."""
    template_id = Varchar(length=64)
    version = Integer()
    category = Varchar(length=20)
    content = JSON()
    """{"texts": {lang: {"subject", "body"}}, "placeholders": {name: type}}"""
    content_sha256 = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())


class InstitutionNotice(Table, tablename="notify_institution_notice"):
    """A notice an institution asked for through `POST /api/notify/v1/notifications`: its
    idempotency key and what became of it. The outbox rows carry `event_key`; no recipient
    identifier and no values are kept here."""

    id = UUID(primary_key=True)
    institution = UUID()
    idempotency_key = Varchar(length=255)
    request_sha256 = Varchar(length=64)
    template_id = Varchar(length=64)
    template_version = Integer()
    recipients = Integer(default=0)
    """People it was queued for (a company's notice reaches several)."""
    status = Varchar(length=16)
    """accepted | capped (the recipient's daily cap was full) | no_recipient"""
    event_key = Varchar(length=160)
    topic = UUID(null=True, default=None)
    """The topic it was sent to (its subscribers only), if any."""
    created_at = Timestamptz(default=TimestamptzNow())


class BulkJob(Table, tablename="notify_bulk_job"):
    """A bulk send (`POST /api/notify/v1/bulk`): one template to many recipients, worked through
    by the worker (`notifications-bulk`) so the web process never waits on it."""

    id = UUID(primary_key=True)
    institution = UUID()
    idempotency_key = Varchar(length=255)
    request_sha256 = Varchar(length=64)
    template_id = Varchar(length=64)
    template_version = Integer()
    total = Integer()
    processed = Integer(default=0)
    status = Varchar(length=10, default="queued")
    """queued | running | done"""
    lease_until = Timestamptz(null=True, default=None)
    """A worker holds the job until then; an expired lease lets another carry on."""
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


class BulkItem(Table, tablename="notify_bulk_item"):
    """One recipient of a bulk job and what became of it (the per-recipient report)."""

    id = UUID(primary_key=True)
    job = UUID(index=True)
    position = Integer()
    request = JSON()
    """{"recipient": …, "values": …} as the institution sent it, until it is processed."""
    status = Varchar(length=16, default="pending")
    """pending | queued | capped | no_recipient | invalid"""
    notice_id = UUID(null=True, default=None)
    problem = Varchar(length=300, null=True, default=None)


class Topic(Table, tablename="notify_topic"):
    """A topic an institution declared ("road closures in Riga"): people subscribe to it in
    their settings, and the institution's notices to the topic reach its subscribers only."""

    id = UUID(primary_key=True)
    institution = UUID()
    topic_id = Varchar(length=64)
    category = Varchar(length=20)
    names = JSON()
    """{"lv": …, "en": …, "ru": …}"""
    institution_name = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class TopicSubscription(Table, tablename="notify_topic_subscription"):
    """A person's subscription to a topic; deleting it stops delivery at once."""

    id = UUID(primary_key=True)
    person = _person_key(on_delete=OnDelete.cascade)
    topic = UUID()
    created_at = Timestamptz(default=TimestamptzNow())


TABLES: list[type[Table]] = [
    PersonSettings,
    Preference,
    ContactPoint,
    PushSubscription,
    Outbox,
    Attempt,
    InAppNotification,
    UndeliveredNotice,
    InstitutionTemplate,
    InstitutionNotice,
    BulkJob,
    BulkItem,
    Topic,
    TopicSubscription,
]
