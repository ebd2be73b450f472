"""iCalendar (RFC 5545) for obligations, through the `icalendar` package.

Each obligation is an all-day event on its due date with one VALARM per reminder step. The UID
is the obligation's stable id, so a calendar that fetches the feed again replaces the event
(also when its date moved) instead of adding a second one. Nothing in a feed identifies the
person: no personal codes, no names, no document numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event
from icalendar.prop import vDuration

from backend.obligations.rules.base import Obligation

PRODID = "-//Vienuviet//Obligations//LV"
REFRESH = timedelta(hours=12)


def uid(obligation: Obligation, domain: str) -> str:
    return f"{obligation.id}@{domain}"


def _event(obligation: Obligation, now: datetime, domain: str) -> Event:
    event = Event()
    event.add("uid", uid(obligation, domain))
    event.add("dtstamp", now)
    event.add("dtstart", obligation.due_date)
    event.add("dtend", obligation.due_date + timedelta(days=1))
    event.add("summary", obligation.title)
    lines = [obligation.description] if obligation.description else []
    if obligation.amount is not None:
        lines.append(f"Amount: €{obligation.amount}")
    if obligation.late_interest is not None:
        lines.append(f"Late interest so far: €{obligation.late_interest}")
    lines += [f"Legal basis: {obligation.legal_basis}", obligation.action_url]
    event.add("description", "\n".join(lines))
    event.add("url", obligation.action_url)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Vienuviet"])
    for step in obligation.ladder:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", obligation.title)
        alarm.add("trigger", timedelta(days=-step))
        event.add_component(alarm)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def feed(obligations: Iterable[Obligation], *, name: str, now: datetime, domain: str) -> bytes:
    """A whole calendar: every obligation given, one event each."""
    calendar = _calendar(name)
    for obligation in obligations:
        calendar.add_component(_event(obligation, now, domain))
    data: bytes = calendar.to_ical()
    return data


def single(obligation: Obligation, *, now: datetime, domain: str) -> bytes:
    """One obligation as a calendar file to download and import."""
    return feed([obligation], name="Vienuviet", now=now, domain=domain)
