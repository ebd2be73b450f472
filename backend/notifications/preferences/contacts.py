"""Contact points (one e-mail address and one phone number per person) and their verification.

An unverified contact point receives nothing but its verification code: the decision function
skips it, and the engine checks again at send time. Codes are six digits, stored only as an
HMAC bound to the contact point and address, valid for `NOTIFY_CODE_TTL_S`, with
`NOTIFY_CODE_MAX_ATTEMPTS` guesses; sending one is rate-limited per person and per address.
Verification messages go out at once (the person is waiting), not through the outbox, so the
code is never at rest in clear; each send is still recorded as an attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from piccolo.columns import Column

from backend.lib import i18n
from backend.lib.errors import AppError, BadInput, NotFound
from backend.lib.ratelimit import Limit, enforce
from backend.lib.time import as_utc, utcnow
from backend.notifications.preferences.addresses import (
    mask_email,
    mask_phone,
    normalise_email,
    normalise_phone,
)
from backend.notifications.preferences.choices import person_choices
from backend.notifications.render import mail
from backend.notifications.render.messages import in_language
from backend.notifications.runtime import NotificationRuntime
from backend.notifications.tables import Attempt, ContactPoint

KINDS = ("email", "phone")


class DeliveryUnavailable(AppError):
    status_code = 503
    code = "delivery_unavailable"


@dataclass(frozen=True)
class ContactView:
    id: uuid.UUID
    kind: str
    masked: str
    verified: bool
    healthy: bool
    unhealthy_reason: str | None


def _view(row: dict[str, Any]) -> ContactView:
    mask = mask_email if row["kind"] == "email" else mask_phone
    return ContactView(
        id=row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"])),
        kind=row["kind"],
        masked=mask(row["address"]),
        verified=row["verified_at"] is not None,
        healthy=row["unhealthy_since"] is None,
        unhealthy_reason=row["unhealthy_reason"],
    )


def _normalise(kind: str, address: str) -> str:
    if kind == "email":
        return normalise_email(address)
    if kind == "phone":
        return normalise_phone(address)
    raise BadInput("A contact point is an e-mail address or a phone number.", code="invalid_kind")


async def _row(person_id: uuid.UUID, kind: str) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await (
        ContactPoint.select()
        .where((ContactPoint.person == person_id) & (ContactPoint.kind == kind))
        .first()
        .run()
    )
    return row


async def list_contacts(person_id: uuid.UUID) -> list[ContactView]:
    rows = await ContactPoint.select().where(ContactPoint.person == person_id).run()
    return [_view(row) for row in sorted(rows, key=lambda r: KINDS.index(r["kind"]))]


async def set_contact(person_id: uuid.UUID, kind: str, address: str) -> ContactView:
    """Give (or change) the e-mail or phone; a new address starts unverified and healthy."""
    normalised = _normalise(kind, address)
    existing = await _row(person_id, kind)
    if existing is not None and existing["address"] == normalised:
        return _view(existing)
    fresh: dict[Column | str, Any] = {
        ContactPoint.address: normalised,
        ContactPoint.verified_at: None,
        ContactPoint.code_hash: None,
        ContactPoint.code_expires_at: None,
        ContactPoint.code_attempts: 0,
        ContactPoint.failures: 0,
        ContactPoint.unhealthy_since: None,
        ContactPoint.unhealthy_reason: None,
    }
    if existing is None:
        await ContactPoint(person=person_id, kind=kind, address=normalised).save().run()
    else:
        await ContactPoint.update(fresh).where(ContactPoint.id == existing["id"]).run()
    row = await _row(person_id, kind)
    assert row is not None
    return _view(row)


async def remove_contact(person_id: uuid.UUID, kind: str) -> bool:
    deleted = await (
        ContactPoint.delete()
        .where((ContactPoint.person == person_id) & (ContactPoint.kind == kind))
        .returning(ContactPoint.id)
        .run()
    )
    return bool(deleted)


def _code_hash(secret: str, contact_id: object, address: str, code: str) -> str:
    message = f"{contact_id}|{address}|{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _address_key(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:32]  # no address in counter keys


async def send_code(rt: NotificationRuntime, person_id: uuid.UUID, kind: str) -> ContactView:
    """Send a new verification code through the contact point itself."""
    row = await _row(person_id, kind)
    if row is None:
        raise NotFound("Add the contact first.", code="no_contact")
    if row["verified_at"] is not None:
        return _view(row)
    per_hour = rt.settings.notifications.code_sends_per_hour
    await enforce(rt.counters, Limit("verify-send-person", per_hour, 3600), str(person_id))
    await enforce(
        rt.counters, Limit("verify-send-address", per_hour, 3600), _address_key(row["address"])
    )
    ttl_s = rt.settings.notifications.code_ttl_s
    code = f"{secrets.randbelow(10**6):06d}"
    await (
        ContactPoint.update(
            {
                ContactPoint.code_hash: _code_hash(
                    rt.settings.web.secret_key, row["id"], row["address"], code
                ),
                ContactPoint.code_expires_at: utcnow() + timedelta(seconds=ttl_s),
                ContactPoint.code_attempts: 0,
            }
        )
        .where(ContactPoint.id == row["id"])
        .run()
    )
    language = (await person_choices([person_id]))[person_id].language
    with in_language(language):
        outcome, status, error, duration = await _deliver_code(rt, kind, row["address"], code)
    await (
        Attempt(
            channel="email" if kind == "email" else "sms",
            target_id=row["id"],
            outcome=outcome,
            status_code=status,
            error_class=error,
            duration_ms=duration,
        )
        .save()
        .run()
    )
    if outcome != "delivered":
        raise DeliveryUnavailable("We could not send the code just now. Please try again later.")
    return _view(row)


async def _deliver_code(
    rt: NotificationRuntime, kind: str, address: str, code: str
) -> tuple[str, int | None, str | None, int]:
    minutes = rt.settings.notifications.code_ttl_s // 60
    if kind == "email":
        message = mail.verification_email(
            code, to=address, sender=rt.settings.email.sender, valid_minutes=minutes
        )
        sent = await rt.email.send(message)
        return sent.outcome, sent.status, sent.error_class, sent.duration_ms
    text = i18n.gettext("Vienuviet confirmation code: %(code)s. Valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": minutes,
    }
    result = await rt.sms.send(address, text)
    return result.outcome, result.status, result.error_class, result.duration_ms


async def verify(
    rt: NotificationRuntime, person_id: uuid.UUID, kind: str, code: str
) -> ContactView:
    """Check a code; a wrong, expired or exhausted code raises BadInput saying which."""
    row = await _row(person_id, kind)
    if row is None:
        raise NotFound("Add the contact first.", code="no_contact")
    if row["verified_at"] is not None:
        return _view(row)
    if row["code_hash"] is None:
        raise BadInput("Ask for a code first.", code="no_code")
    limit = rt.settings.notifications.code_max_attempts
    # Count the guess atomically before judging it: parallel guesses cannot exceed the limit.
    counted = await (
        ContactPoint.update({ContactPoint.code_attempts: ContactPoint.code_attempts + 1})
        .where((ContactPoint.id == row["id"]) & (ContactPoint.code_attempts < limit))
        .returning(ContactPoint.code_attempts)
        .run()
    )
    if not counted:
        raise BadInput("Too many wrong codes. Ask for a new code.", code="code_exhausted")
    expires = row["code_expires_at"]
    if expires is None or as_utc(expires) <= utcnow():
        raise BadInput("The code has expired. Ask for a new code.", code="code_expired")
    expected = _code_hash(rt.settings.web.secret_key, row["id"], row["address"], code.strip())
    if not hmac.compare_digest(expected, row["code_hash"]):
        left = limit - int(counted[0]["code_attempts"])
        raise BadInput(f"That code is not right. {left} attempt(s) left.", code="code_wrong")
    await (
        ContactPoint.update(
            {
                ContactPoint.verified_at: utcnow(),
                ContactPoint.code_hash: None,
                ContactPoint.code_expires_at: None,
                ContactPoint.failures: 0,
                ContactPoint.unhealthy_since: None,
                ContactPoint.unhealthy_reason: None,
            }
        )
        .where(ContactPoint.id == row["id"])
        .run()
    )
    fresh = await _row(person_id, kind)
    assert fresh is not None
    return _view(fresh)


async def contact_address(person_id: uuid.UUID, kind: str) -> str | None:
    """The full address (for the settings page of its owner only)."""
    row = await _row(person_id, kind)
    return None if row is None else str(row["address"])
