"""The delivery decision, table-driven: preferences × contacts × devices × health × time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from backend.lib.time import RIGA
from backend.notifications.engine.decide import (
    ContactState,
    DeviceState,
    QuietHours,
    Reach,
    Reason,
    decide,
    decide_account_notice,
    decide_test,
    preview,
    quiet_until,
)
from backend.notifications.model import USER_CATEGORIES, Category, Channel

C = Category
P, E, S, IN = Channel.PUSH, Channel.EMAIL, Channel.SMS, Channel.INAPP


def riga(text: str) -> datetime:
    """A Riga wall-clock time as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=RIGA).astimezone(UTC)


def contact(verified: bool = True, healthy: bool = True) -> ContactState:
    return ContactState(uuid.uuid4(), verified=verified, healthy=healthy)


def device(healthy: bool = True) -> DeviceState:
    return DeviceState(uuid.uuid4(), healthy=healthy)


EVERYTHING = Reach(email=contact(), phone=contact(), devices=(device(),))
DAY = riga("2026-01-14T12:00")  # a Wednesday in winter (UTC+2)
NIGHT = riga("2026-01-14T23:30")
NEXT_MORNING = riga("2026-01-15T07:00")


@dataclass(frozen=True)
class Case:
    name: str
    category: Category
    reach: Reach
    now: datetime
    now_channels: frozenset[Channel]
    deferred: dict[Channel, datetime] = field(default_factory=dict)
    skipped: dict[Channel, Reason] = field(default_factory=dict)
    undeliverable: Reason | None = None


CASES = [
    Case(
        "defaults: legal notice by day",
        C.EADDRESS,
        EVERYTHING,
        DAY,
        frozenset({P, E, IN}),
        skipped={S: Reason.OFF},
    ),
    Case(
        "quiet hours hold push back, e-mail and in-app go",
        C.EADDRESS,
        EVERYTHING,
        NIGHT,
        frozenset({E, IN}),
        deferred={P: NEXT_MORNING},
    ),
    Case(
        "legal bypass lets a legal push through at night",
        C.EADDRESS,
        Reach(email=contact(), devices=(device(),), quiet=QuietHours(legal_bypass=True)),
        NIGHT,
        frozenset({P, E, IN}),
    ),
    Case(
        "the bypass is for legal notices only",
        C.OBLIGATIONS,
        Reach(email=contact(), devices=(device(),), quiet=QuietHours(legal_bypass=True)),
        NIGHT,
        frozenset({E, IN}),
        deferred={P: NEXT_MORNING},
    ),
    Case(
        "quiet hours switched off",
        C.OBLIGATIONS,
        Reach(devices=(device(),), quiet=QuietHours(enabled=False)),
        NIGHT,
        frozenset({P, IN}),
        skipped={E: Reason.NO_CONTACT, S: Reason.OFF},
    ),
    Case(
        "unverified e-mail gets nothing; the legal notice is reported",
        C.EADDRESS,
        Reach(email=contact(verified=False)),
        DAY,
        frozenset({IN}),
        skipped={E: Reason.UNVERIFIED, P: Reason.NO_DEVICE, S: Reason.OFF},
        undeliverable=Reason.CONTACT_UNVERIFIED,
    ),
    Case(
        "every channel unhealthy",
        C.EADDRESS,
        Reach(email=contact(healthy=False), devices=(device(healthy=False),)),
        DAY,
        frozenset({IN}),
        skipped={E: Reason.UNHEALTHY, P: Reason.UNHEALTHY},
        undeliverable=Reason.CHANNELS_UNHEALTHY,
    ),
    Case(
        "no contact and no device at all",
        C.EADDRESS,
        Reach(),
        DAY,
        frozenset({IN}),
        skipped={E: Reason.NO_CONTACT, P: Reason.NO_DEVICE},
        undeliverable=Reason.NO_CHANNEL,
    ),
    Case(
        "the person switched outreach off: their choice, not reported",
        C.EADDRESS,
        Reach(
            enabled={(C.EADDRESS, P): False, (C.EADDRESS, E): False},
            email=contact(),
            devices=(device(),),
        ),
        DAY,
        frozenset({IN}),
        skipped={P: Reason.OFF, E: Reason.OFF, S: Reason.OFF},
    ),
    Case(
        "the in-app notice of an e-address message cannot be switched off",
        C.EADDRESS,
        Reach(enabled={(C.EADDRESS, IN): False}),
        DAY,
        frozenset({IN}),
        undeliverable=Reason.NO_CHANNEL,
    ),
    Case(
        "service news is off by default",
        C.SERVICE_NEWS,
        EVERYTHING,
        DAY,
        frozenset(),
        skipped={P: Reason.OFF, E: Reason.OFF, S: Reason.OFF, IN: Reason.OFF},
    ),
    Case(
        "service news when asked for",
        C.SERVICE_NEWS,
        Reach(enabled={(C.SERVICE_NEWS, E): True}, email=contact()),
        DAY,
        frozenset({E}),
    ),
    Case(
        "benefits: e-mail and in-app, no push",
        C.BENEFITS,
        EVERYTHING,
        DAY,
        frozenset({E, IN}),
        skipped={P: Reason.OFF, S: Reason.OFF},
    ),
    Case(
        "registry changes: push and in-app",
        C.REGISTRY_CHANGES,
        EVERYTHING,
        DAY,
        frozenset({P, IN}),
        skipped={E: Reason.OFF, S: Reason.OFF},
    ),
    Case(
        "SMS when switched on, held at night like push",
        C.EADDRESS,
        Reach(enabled={(C.EADDRESS, S): True}, phone=contact()),
        NIGHT,
        frozenset({IN}),
        deferred={S: NEXT_MORNING},
        skipped={E: Reason.NO_CONTACT, P: Reason.NO_DEVICE},
    ),
    Case(
        "unverified phone gets no SMS",
        C.EADDRESS,
        Reach(enabled={(C.EADDRESS, S): True}, phone=contact(verified=False)),
        DAY,
        frozenset({IN}),
        skipped={S: Reason.UNVERIFIED},
        undeliverable=Reason.CONTACT_UNVERIFIED,
    ),
    Case(
        "one healthy device is enough",
        C.OBLIGATIONS,
        Reach(devices=(device(healthy=False), device())),
        DAY,
        frozenset({P, IN}),
    ),
    Case(
        "a minute before quiet hours end",
        C.OBLIGATIONS,
        Reach(devices=(device(),)),
        riga("2026-01-15T06:59"),
        frozenset({IN}),
        deferred={P: NEXT_MORNING},
    ),
    Case(
        "quiet hours end exactly at 07:00",
        C.OBLIGATIONS,
        Reach(devices=(device(),)),
        NEXT_MORNING,
        frozenset({P, IN}),
    ),
    Case(
        "quiet hours start exactly at 22:00",
        C.OBLIGATIONS,
        Reach(devices=(device(),)),
        riga("2026-01-14T22:00"),
        frozenset({IN}),
        deferred={P: NEXT_MORNING},
    ),
    Case(
        "a daytime quiet window (13:00-15:00)",
        C.OBLIGATIONS,
        Reach(devices=(device(),), quiet=QuietHours(start_min=13 * 60, end_min=15 * 60)),
        riga("2026-07-14T14:10"),
        frozenset({IN}),
        deferred={P: riga("2026-07-14T15:00")},
    ),
    Case(
        "quiet hours across the spring clock change end at 07:00 summer time",
        C.OBLIGATIONS,
        Reach(devices=(device(),)),
        riga("2026-03-28T23:00"),
        frozenset({IN}),
        deferred={P: datetime(2026, 3, 29, 4, 0, tzinfo=UTC)},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_decision_table(case: Case) -> None:
    decision = decide(case.category, case.reach, case.now)
    assert {r.channel for r in decision.routes if not r.deferred} == case.now_channels
    assert {r.channel: r.deliver_at for r in decision.routes if r.deferred} == case.deferred
    for route in decision.routes:
        if not route.deferred:
            assert route.deliver_at == case.now
    for channel, reason in case.skipped.items():
        assert decision.skipped[channel] is reason
    assert decision.undeliverable == case.undeliverable


def test_quiet_until_is_none_outside_quiet_hours_and_with_an_empty_window() -> None:
    assert quiet_until(DAY, QuietHours()) is None
    assert quiet_until(NIGHT, QuietHours(start_min=600, end_min=600)) is None


def test_account_notice_goes_in_app_and_to_one_other_healthy_channel() -> None:
    reach = Reach(email=contact(healthy=False), phone=contact(), devices=(device(),))
    decision = decide_account_notice(reach, NIGHT, exclude=frozenset({E}))
    assert decision.channels == {IN, P}  # e-mail excluded (it is the broken one); push first
    only_sms = Reach(phone=contact(), devices=(device(healthy=False),))
    assert decide_account_notice(only_sms, DAY, exclude=frozenset({P})).channels == {IN, S}
    nothing = Reach(email=contact(verified=False))
    assert decide_account_notice(nothing, DAY).channels == {IN}


def test_a_test_message_ignores_health_but_never_reaches_an_unverified_contact() -> None:
    sick = Reach(email=contact(healthy=False))
    assert decide_test(E, sick, NIGHT).channels == {E}  # and at night: the person asked
    unverified = Reach(email=contact(verified=False))
    decision = decide_test(E, unverified, DAY)
    assert decision.channels == frozenset()
    assert decision.skipped[E] is Reason.UNVERIFIED
    assert decide_test(P, Reach(), DAY).skipped[P] is Reason.NO_DEVICE


def test_preview_covers_every_subject_and_category_with_the_same_decision() -> None:
    me, firm = "person:" + str(uuid.uuid4()), "company:40003000001"
    firm_reach = Reach(enabled={(C.EADDRESS, P): False, (C.EADDRESS, E): False})
    lines = preview({me: EVERYTHING, firm: firm_reach}, NIGHT)
    assert len(lines) == 2 * len(USER_CATEGORIES)
    mine = next(line for line in lines if line.subject_key == me and line.category is C.EADDRESS)
    assert set(mine.now) == {E, IN}
    assert mine.later == (P,)
    assert mine.deliver_later_at == NEXT_MORNING
    theirs = next(
        line for line in lines if line.subject_key == firm and line.category is C.EADDRESS
    )
    assert theirs.now == (IN,)
    assert theirs.warning is Reason.OFF  # only in-app: the preview warns, the report does not
