"""The notification centre's public interface: what other features and the GraphQL layer call.

Producers: `enqueue(Notice(...), recipients, settings=...)` inside the transaction of the cause
(or record a domain event and let the consumer do it). Recipients for a company subject come
from `IdentityRecipients` (or the identity layer's own list).
People: preferences, contact points, devices, the in-app list, a preview, a test message.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from backend.lib.db import transaction
from backend.lib.errors import BadInput
from backend.lib.ratelimit import Limit, enforce
from backend.lib.time import utcnow
from backend.notifications.channels.inapp import list_items, mark_read, mark_unread, unread_count
from backend.notifications.engine.decide import Reason, decide_test
from backend.notifications.engine.enqueue import Enqueued, Notice, enqueue, enqueue_decided
from backend.notifications.engine.recipients import IdentityRecipients
from backend.notifications.model import Category, Channel
from backend.notifications.preferences.choices import (
    person_choices,
    preferences_matrix,
    preview_for,
    reach_for,
    set_preference,
    update_choices,
)
from backend.notifications.preferences.contacts import (
    list_contacts,
    remove_contact,
    send_code,
    set_contact,
    verify,
)
from backend.notifications.preferences.devices import (
    add_subscription,
    list_devices,
    remove_subscription,
)
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Outbox

__all__ = [
    "Category",
    "Channel",
    "Enqueued",
    "IdentityRecipients",
    "Notice",
    "add_subscription",
    "delivery_status",
    "enqueue",
    "list_contacts",
    "list_devices",
    "list_items",
    "mark_read",
    "mark_unread",
    "person_choices",
    "preferences_matrix",
    "preview_for",
    "remove_contact",
    "remove_subscription",
    "send_code",
    "send_test",
    "set_contact",
    "set_preference",
    "unread_count",
    "update_choices",
    "verify",
]

TEST_LIMIT = Limit("notify-test", 10, 3600)

_WHY = {
    Reason.NO_CONTACT: "Add and confirm this contact first.",
    Reason.UNVERIFIED: "Confirm this contact first: until then it receives only its code.",
    Reason.NO_DEVICE: "Allow notifications on a device first.",
}


async def send_test(
    rt: NotificationRuntime, person_id: uuid.UUID, channel: str, now: datetime | None = None
) -> uuid.UUID:
    """Queue a test notification to the person on one channel; returns its outbox id.

    It goes the whole way (outbox, worker, channel), so arriving proves the channel works —
    and a success clears an unhealthy mark. Unverified contacts still get nothing."""
    try:
        wanted = Channel(channel)
    except ValueError:
        raise BadInput("Unknown channel.", code="invalid_channel") from None
    await enforce(rt.counters, TEST_LIMIT, str(person_id))
    now = now or utcnow()
    reach = (await reach_for([person_id], f"person:{person_id}")).get(person_id)
    if reach is None:
        raise BadInput("Unknown person.", code="unknown_person")
    decision = decide_test(wanted, reach, now)
    if not decision.routes:
        reason = decision.skipped[wanted]
        raise BadInput(_WHY.get(reason, "This channel cannot be tested."), code=reason.value)
    notice = Notice(
        event_key=f"account.test:{uuid.uuid4()}",
        kind="account.test",
        subject_key=f"person:{person_id}",
        link="/settings/notifications",
    )
    async with transaction(Outbox._meta.db):
        await enqueue_decided(
            notice, {person_id: decision}, settings=rt.settings.notifications, now=now
        )
    row = await Outbox.select(Outbox.id).where(Outbox.event_key == notice.event_key).first().run()
    assert row is not None
    return row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"]))


async def delivery_status(event_key: str) -> dict[str, dict[str, str]]:
    """person id → channel → status, for one event (the e-address "notified" receipt)."""
    rows = await (
        Outbox.select(Outbox.person, Outbox.channel, Outbox.status)
        .where(Outbox.event_key == event_key)
        .run()
    )
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        found.setdefault(str(row["person"]), {})[row["channel"]] = row["status"]
    return found
