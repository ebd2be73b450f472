"""Push subscriptions, one per browser or installed PWA (GraphQL mutations wrap these)."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.lib.db import transaction
from backend.lib.errors import Forbidden
from backend.lib.time import as_utc, utcnow
from backend.notifications.channels.pushhttp import PushHTTPError, parse_endpoint
from backend.notifications.channels.pushpolicy import PushPolicy
from backend.notifications.channels.webpush import InvalidSubscription, validate_subscription
from backend.notifications.tables import PushSubscription

MAX_LABEL = 100


@dataclass(frozen=True)
class DeviceView:
    id: uuid.UUID
    label: str
    created_at: datetime
    last_success_at: datetime | None
    healthy: bool


def _view(row: dict[str, Any]) -> DeviceView:
    last = row["last_success_at"]
    return DeviceView(
        id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
        label=row["device_label"],
        created_at=as_utc(row["created_at"]),
        last_success_at=as_utc(last) if last is not None else None,
        healthy=row["unhealthy_since"] is None,
    )


def stored_form(endpoint: str) -> str:
    """An endpoint as it would be stored (its host canonical), to look it up."""
    try:
        return parse_endpoint(endpoint.strip()).url
    except PushHTTPError:
        return endpoint.strip()  # never stored in this form, so found nowhere: fine


class SubscriptionTaken(Forbidden):
    """The endpoint is another person's device and the caller did not prove to be it."""

    code = "subscription_taken"


async def add_subscription(
    person_id: uuid.UUID,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    device_label: str = "",
    policy: PushPolicy,
) -> DeviceView:
    """Register (or refresh) a browser's subscription. Raises InvalidSubscription with a
    clear reason, or SubscriptionTaken.

    An endpoint already stored for someone else moves to this person only when the request
    carries that subscription's `auth` secret: then it comes from the browser holding the
    subscription, now used by another login (a shared computer must not keep buzzing the
    previous user). The endpoint alone proves nothing — push services, proxies and logs see
    endpoints — and would let anybody take another person's notices."""
    p256dh, auth = p256dh.strip(), auth.strip()
    endpoint = await validate_subscription(endpoint.strip(), p256dh, auth, policy=policy)
    label = " ".join(device_label.split())[:MAX_LABEL]
    values = {
        PushSubscription.person: person_id,
        PushSubscription.p256dh: p256dh,
        PushSubscription.auth: auth,
        PushSubscription.device_label: label,
        PushSubscription.failures: 0,
        PushSubscription.unhealthy_since: None,
    }
    # One statement decides, so two requests at once cannot slip past the check: an
    # existing row is overwritten only if it is the caller's own or the secret matches.
    stored = await (
        PushSubscription.insert(
            PushSubscription(
                person=person_id,
                endpoint=endpoint,
                p256dh=p256dh,
                auth=auth,
                device_label=label,
                created_at=utcnow(),
            )
        )
        .on_conflict(
            target=PushSubscription.endpoint,
            action="DO UPDATE",
            values=list(values),
            where=(PushSubscription.person == person_id) | (PushSubscription.auth == auth),
        )
        .returning(PushSubscription.id)
        .run()
    )
    if not stored:
        raise SubscriptionTaken(
            "This device receives notifications for someone else; it can be moved only from "
            "the browser it belongs to."
        )
    row = (
        await PushSubscription.select().where(PushSubscription.id == stored[0]["id"]).first().run()
    )
    if row is None:  # pragma: no cover - just written
        raise InvalidSubscription("The subscription could not be stored.")
    return _view(row)


async def remove_subscription(
    person_id: uuid.UUID, *, subscription_id: uuid.UUID | None = None, endpoint: str | None = None
) -> bool:
    """Remove one of the person's own devices, by id or endpoint; False if none matched."""
    if subscription_id is None and endpoint is None:
        raise InvalidSubscription("Say which device to remove.")
    where: Any = PushSubscription.person == person_id
    if subscription_id is not None:
        where &= PushSubscription.id == subscription_id
    if endpoint is not None:
        where &= PushSubscription.endpoint == stored_form(endpoint)
    deleted = await PushSubscription.delete().where(where).returning(PushSubscription.id).run()
    return bool(deleted)


async def list_devices(person_id: uuid.UUID) -> list[DeviceView]:
    rows = await (
        PushSubscription.select()
        .where(PushSubscription.person == person_id)
        .order_by(PushSubscription.created_at)
        .run()
    )
    return [_view(row) for row in rows]


async def replace_endpoint(
    old_endpoint: str,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    old_auth: str | None,
    person: uuid.UUID | None,
    policy: PushPolicy,
) -> DeviceView | None:
    """The browser renewed its subscription (`pushsubscriptionchange`): move the stored one
    to the new endpoint and keys, keeping its owner and device name.

    Only the device itself may: it proves possession with the old subscription's `auth`
    secret (shared by the browser and us alone; push services never see it), or the request
    carries its owner's session. An endpoint alone is not enough: push services know
    endpoints, and one leaked would let anybody redirect another person's notices. None when
    the old endpoint is unknown or neither proof holds (indistinguishable to the caller)."""
    if await _renewable(old_endpoint, old_auth, person) is None:
        return None
    # Only now, for a proven device: nobody else gets us to look names up.
    endpoint = await validate_subscription(
        endpoint.strip(), p256dh.strip(), auth.strip(), policy=policy
    )
    async with transaction(PushSubscription._meta.db):
        old = await _renewable(old_endpoint, old_auth, person)
        if old is None:  # renewed by a concurrent request meanwhile
            return None
        # A row already holding the new endpoint (subscribed again by a page) gives way.
        await (
            PushSubscription.delete()
            .where((PushSubscription.endpoint == endpoint) & (PushSubscription.id != old["id"]))
            .run()
        )
        await (
            PushSubscription.update(
                {
                    PushSubscription.endpoint: endpoint,
                    PushSubscription.p256dh: p256dh.strip(),
                    PushSubscription.auth: auth.strip(),
                    PushSubscription.failures: 0,
                    PushSubscription.unhealthy_since: None,
                }
            )
            .where(PushSubscription.id == old["id"])
            .run()
        )
        row = await PushSubscription.select().where(PushSubscription.id == old["id"]).first().run()
    return None if row is None else _view(row)


async def _renewable(
    old_endpoint: str, old_auth: str | None, person: uuid.UUID | None
) -> dict[str, Any] | None:
    old: dict[str, Any] | None = await (
        PushSubscription.select(PushSubscription.id, PushSubscription.person, PushSubscription.auth)
        .where(PushSubscription.endpoint == stored_form(old_endpoint))
        .first()
        .run()
    )
    return old if old is not None and _may_renew(old, old_auth, person) else None


def _may_renew(old: dict[str, object], old_auth: str | None, person: uuid.UUID | None) -> bool:
    if person is not None and old["person"] == person:
        return True
    stored = str(old["auth"]).encode()
    return old_auth is not None and hmac.compare_digest(old_auth.strip().encode(), stored)


async def stored_as(endpoint: str) -> tuple[uuid.UUID, str, str] | None:
    """(owner, p256dh, auth) of a stored endpoint: tells a repeated subscribe from a new one."""
    row = await (
        PushSubscription.select(
            PushSubscription.person, PushSubscription.p256dh, PushSubscription.auth
        )
        .where(PushSubscription.endpoint == stored_form(endpoint))
        .first()
        .run()
    )
    if row is None:
        return None
    owner = row["person"]
    return (
        (owner if isinstance(owner, uuid.UUID) else uuid.UUID(str(owner))),
        row["p256dh"],
        row["auth"],
    )
