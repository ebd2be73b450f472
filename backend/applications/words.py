"""Statuses, outcomes and actors in words (gettext msgids, rendered in the reader's language)."""

from __future__ import annotations

from backend.applications.machine import Actor, Outcome, Status
from backend.lib.texts import N_, Text

STATUS_WORDS: dict[Status, str] = {
    Status.DRAFT: N_("Draft: not sent yet"),
    Status.PREPARED: N_("Ready for you to confirm"),
    Status.SUBMITTED: N_("Sent to the institution"),
    Status.RECEIVED: N_("Received by the institution"),
    Status.IN_PROGRESS: N_("Being processed"),
    Status.NEEDS_INFORMATION: N_("The institution needs more information from you"),
    Status.DECIDED: N_("Decided"),
    Status.CLOSED: N_("Closed"),
    Status.DECLINED: N_("Declined by you"),
}

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.GRANTED: N_("Granted"),
    Outcome.REFUSED: N_("Refused"),
    Outcome.PARTLY: N_("Partly granted"),
}

ACTOR_WORDS: dict[Actor, str] = {
    Actor.PERSON: N_("You"),
    Actor.INSTITUTION: N_("The institution"),
    Actor.SYSTEM: N_("Vienuviet"),
}

EXPECTED: dict[Status, str] = {
    Status.DRAFT: N_("You: finish the form and send it."),
    Status.PREPARED: N_("You: check the answers and confirm, or tell us what is wrong."),
    Status.SUBMITTED: N_("The institution: confirm it received the application."),
    Status.RECEIVED: N_("The institution: process the application."),
    Status.IN_PROGRESS: N_("The institution: decide."),
    Status.NEEDS_INFORMATION: N_("You: give the information the institution asked for."),
    Status.DECIDED: N_("Nothing: the decision is below."),
    Status.CLOSED: N_("Nothing: the case is closed."),
    Status.DECLINED: N_("Nothing: you declined this application."),
}


def status_text(status: Status | str) -> Text:
    return Text(STATUS_WORDS[Status(status)])
