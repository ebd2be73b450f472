"""Where one notification goes, and when: a pure function of preferences, contacts, devices,
channel health and the current time. Enqueueing, the preview and the tests all use it.

Rules, in order, per channel:
1. the person's choice for this subject and category (defaults in `model.DEFAULTS`; the
   in-app notice of an e-address message cannot be switched off);
2. e-mail and SMS need a contact point that is verified — an unverified one receives nothing
   but its verification code — and healthy (not bouncing);
3. push needs at least one healthy device;
4. quiet hours (Europe/Riga) hold back push and SMS until they end, unless the notice is legal
   and the person allowed legal notices to bypass them. E-mail and in-app never buzz, so they
   are never held back.
A legal notice that no outreach channel (push, e-mail, SMS) can carry is *undeliverable*: it
still lands in-app, and the operator report lists it with the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from backend.lib.time import RIGA, as_utc
from backend.notifications.model import (
    CHANNELS,
    DEFAULT_QUIET_END_MIN,
    DEFAULT_QUIET_START_MIN,
    INTERRUPTING,
    MANDATORY,
    OUTREACH,
    USER_CATEGORIES,
    Category,
    Channel,
    default_enabled,
    is_legal,
)


class Reason(StrEnum):
    """Why a channel does not carry a notification (also the report's vocabulary)."""

    OFF = "off"
    NO_CONTACT = "no_contact"
    UNVERIFIED = "unverified"
    UNHEALTHY = "unhealthy"
    NO_DEVICE = "no_device"
    # Undeliverable legal notices, most actionable first:
    CONTACT_UNVERIFIED = "contact_unverified"
    CHANNELS_UNHEALTHY = "channels_unhealthy"
    NO_CHANNEL = "no_channel_configured"
    DELIVERY_FAILED = "delivery_failed"


@dataclass(frozen=True)
class QuietHours:
    enabled: bool = True
    start_min: int = DEFAULT_QUIET_START_MIN
    """Minutes after midnight, Riga time."""
    end_min: int = DEFAULT_QUIET_END_MIN
    legal_bypass: bool = False
    """Legal notices may interrupt quiet hours (the person's choice; off by default)."""


@dataclass(frozen=True)
class ContactState:
    id: uuid.UUID
    verified: bool
    healthy: bool


@dataclass(frozen=True)
class DeviceState:
    id: uuid.UUID
    healthy: bool


@dataclass(frozen=True)
class Reach:
    """Everything about one person (for one subject) that decides where a notice goes."""

    enabled: Mapping[tuple[Category, Channel], bool] = field(default_factory=dict)
    """Overrides of the defaults for this subject; missing pairs use `model.DEFAULTS`."""
    quiet: QuietHours = QuietHours()
    email: ContactState | None = None
    phone: ContactState | None = None
    devices: tuple[DeviceState, ...] = ()

    def wants(self, category: Category, channel: Channel) -> bool:
        if (category, channel) in MANDATORY:
            return True
        return self.enabled.get((category, channel), default_enabled(category, channel))

    def healthy_devices(self) -> tuple[DeviceState, ...]:
        return tuple(device for device in self.devices if device.healthy)


@dataclass(frozen=True)
class Route:
    channel: Channel
    deliver_at: datetime
    """Aware UTC: now, or the end of quiet hours."""
    deferred: bool = False


@dataclass(frozen=True)
class Decision:
    category: Category
    routes: tuple[Route, ...]
    skipped: Mapping[Channel, Reason]

    @property
    def legal(self) -> bool:
        return is_legal(self.category)

    @property
    def channels(self) -> frozenset[Channel]:
        return frozenset(route.channel for route in self.routes)

    def route(self, channel: Channel) -> Route | None:
        return next((route for route in self.routes if route.channel is channel), None)

    @property
    def undeliverable(self) -> Reason | None:
        """For a legal notice no outreach channel can carry: why. None otherwise — also when
        the person switched every outreach channel off themselves (their choice, shown as a
        warning in the preview, not an operator's problem)."""
        if not self.legal or self.channels & OUTREACH:
            return None
        reasons = {self.skipped.get(channel) for channel in OUTREACH}
        if Reason.UNVERIFIED in reasons:
            return Reason.CONTACT_UNVERIFIED
        if Reason.UNHEALTHY in reasons:
            return Reason.CHANNELS_UNHEALTHY
        if reasons <= {Reason.OFF}:
            return None
        return Reason.NO_CHANNEL


def _in_window(minute: int, start: int, end: int) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def quiet_until(now: datetime, quiet: QuietHours) -> datetime | None:
    """The end of the quiet period `now` falls in (aware UTC), or None outside quiet hours."""
    if not quiet.enabled:
        return None
    local = as_utc(now).astimezone(RIGA)
    minute = local.hour * 60 + local.minute
    if not _in_window(minute, quiet.start_min, quiet.end_min):
        return None
    end_date = local.date()
    if quiet.start_min > quiet.end_min and minute >= quiet.start_min:
        end_date += timedelta(days=1)  # the window wraps midnight: it ends tomorrow
    end_local = datetime.combine(
        end_date, time(quiet.end_min // 60, quiet.end_min % 60), tzinfo=RIGA
    )
    return as_utc(end_local)


def channel_block(channel: Channel, reach: Reach, *, ignore_health: bool = False) -> Reason | None:
    """Why `channel` cannot carry anything to this person right now, if it cannot."""
    if channel is Channel.INAPP:
        return None
    if channel is Channel.PUSH:
        present, verified = bool(reach.devices), True
        healthy = bool(reach.healthy_devices())
        missing = Reason.NO_DEVICE
    else:
        contact = reach.email if channel is Channel.EMAIL else reach.phone
        present = contact is not None
        verified = contact is not None and contact.verified
        healthy = contact is not None and contact.healthy
        missing = Reason.NO_CONTACT
    if not present:
        return missing
    if not verified:
        return Reason.UNVERIFIED
    if not (healthy or ignore_health):
        return Reason.UNHEALTHY
    return None


def decide(category: Category, reach: Reach, now: datetime) -> Decision:
    """Where a notification of `category` goes for this person, and when."""
    now = as_utc(now)
    routes: list[Route] = []
    skipped: dict[Channel, Reason] = {}
    hold_until = quiet_until(now, reach.quiet)
    if hold_until is not None and is_legal(category) and reach.quiet.legal_bypass:
        hold_until = None
    for channel in CHANNELS:
        if not reach.wants(category, channel):
            skipped[channel] = Reason.OFF
            continue
        if (block := channel_block(channel, reach)) is not None:
            skipped[channel] = block
            continue
        if hold_until is not None and channel in INTERRUPTING:
            routes.append(Route(channel, hold_until, deferred=True))
        else:
            routes.append(Route(channel, now))
    return Decision(category, tuple(routes), skipped)


def decide_account_notice(
    reach: Reach, now: datetime, *, exclude: frozenset[Channel] = frozenset()
) -> Decision:
    """A notice about the set-up itself (a channel stopped working): in-app, plus the first
    healthy outreach channel not in `exclude` (e-mail, then push, then SMS), at once."""
    now = as_utc(now)
    routes = [Route(Channel.INAPP, now)]
    skipped: dict[Channel, Reason] = {}
    for channel in (Channel.EMAIL, Channel.PUSH, Channel.SMS):
        if channel in exclude:
            skipped[channel] = Reason.UNHEALTHY
            continue
        if (block := channel_block(channel, reach)) is not None:
            skipped[channel] = block
            continue
        if len(routes) == 1:
            routes.append(Route(channel, now))
    return Decision(Category.ACCOUNT, tuple(routes), skipped)


def decide_test(channel: Channel, reach: Reach, now: datetime) -> Decision:
    """A test the person asked for: that channel only, now, even if it is marked unhealthy
    (a test is how one finds out it works again) — but never to an unverified contact."""
    now = as_utc(now)
    block = channel_block(channel, reach, ignore_health=True)
    if block is not None:
        return Decision(Category.ACCOUNT, (), {channel: block})
    return Decision(Category.ACCOUNT, (Route(channel, now),), {})


@dataclass(frozen=True)
class PreviewLine:
    subject_key: str
    category: Category
    now: tuple[Channel, ...]
    """Channels that would carry it at once."""
    later: tuple[Channel, ...]
    """Channels that would carry it when quiet hours end."""
    deliver_later_at: datetime | None
    skipped: Mapping[Channel, Reason]
    warning: Reason | None
    """For legal notices: why nothing but in-app would carry it (incl. the person's own OFF)."""


def preview(subjects: Mapping[str, Reach], now: datetime) -> list[PreviewLine]:
    """What would reach me where, per subject and category, if it happened `now`."""
    lines: list[PreviewLine] = []
    for subject_key, reach in subjects.items():
        for category in USER_CATEGORIES:
            decision = decide(category, reach, now)
            later = [route for route in decision.routes if route.deferred]
            warning = decision.undeliverable
            if warning is None and decision.legal and not decision.channels & OUTREACH:
                warning = Reason.OFF
            lines.append(
                PreviewLine(
                    subject_key=subject_key,
                    category=category,
                    now=tuple(r.channel for r in decision.routes if not r.deferred),
                    later=tuple(r.channel for r in later),
                    deliver_later_at=later[0].deliver_at if later else None,
                    skipped=decision.skipped,
                    warning=warning,
                )
            )
    return lines


ESCALATION_CHANNELS: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS)
"""Stronger channels for an escalated deadline, first usable one wins: e-mail is read later
but kept; SMS reaches someone without a smartphone or mail client."""


def escalate(decision: Decision, reach: Reach, now: datetime) -> Decision:
    """A legal deadline close and unacknowledged: add one stronger outreach channel even if
    the person chose only push or in-app — still never to an unverified or failing contact,
    and SMS still waits for the end of quiet hours (a deadline days away is not a night call)."""
    if decision.channels & set(ESCALATION_CHANNELS):
        return decision  # already on a stronger channel by the person's own choice
    now = as_utc(now)
    for channel in ESCALATION_CHANNELS:
        if channel_block(channel, reach) is not None:
            continue
        hold_until = quiet_until(now, reach.quiet) if channel in INTERRUPTING else None
        route = Route(channel, hold_until or now, deferred=hold_until is not None)
        skipped = {k: v for k, v in decision.skipped.items() if k is not channel}
        return Decision(decision.category, (*decision.routes, route), skipped)
    return decision
