"""iCalendar (RFC 5545) for obligations, through the `icalendar` package.

Each obligation is an all-day event on its due date with one VALARM per reminder step. The UID
is the obligation's stable id, so a calendar that fetches the feed again replaces the event
(also when its date moved) instead of adding a second one. Nothing in a feed identifies the
person: no personal codes, no names, no document numbers.

Texts are written in one language, the reader's: the feed owner's notification language (a
calendar app fetches the feed without a language of its own), the viewer's for a download.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event
from icalendar.prop import vDuration

from backend.lib.texts import N_, Money, Text, in_language, render
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
    title = render(obligation.title)
    event.add("summary", title)
    lines = [render(obligation.description)] if obligation.description.msgid else []
    if obligation.amount is not None:
        lines.append(render(Text(N_("Amount: {amount}"), amount=Money(obligation.amount))))
    if obligation.late_interest is not None:
        lines.append(
            render(
                Text(N_("Late interest so far: {amount}"), amount=Money(obligation.late_interest))
            )
        )
    lines += [
        render(Text(N_("Legal basis: {law}"), law=obligation.legal_basis)),
        obligation.action_url,
    ]
    event.add("description", "\n".join(lines))
    event.add("url", obligation.action_url)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Vienuviet"])
    for step in obligation.ladder:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
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


def feed(
    obligations: Iterable[Obligation], *, name: str, now: datetime, domain: str, language: str
) -> bytes:
    """A whole calendar in `language`: every obligation given, one event each."""
    calendar = _calendar(name)
    calendar.add("x-wr-language", language)
    with in_language(language):  # rendering reads the current language
        for obligation in obligations:
            calendar.add_component(_event(obligation, now, domain))
    data: bytes = calendar.to_ical()
    return data


def single(obligation: Obligation, *, now: datetime, domain: str, language: str) -> bytes:
    """One obligation as a calendar file to download and import."""
    return feed([obligation], name="Vienuviet", now=now, domain=domain, language=language)
