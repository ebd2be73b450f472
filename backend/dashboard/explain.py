"""A plain explanation of a source's status, for the page and for people reading the API."""

from __future__ import annotations

from backend.dashboard.facts import SourceStatus
from backend.dashboard.sources import TITLES

_FAILURES = {
    "timeout": "did not answer in time",
    "connect": "could not be reached",
    "http_status": "answered with an error",
    "malformed": "sent an answer we could not read",
    "circuit_open": "has been failing, so we are giving it a short rest",
    "unauthorized": "refused our request",
}


def explain(source: str, status: SourceStatus, reason: str | None) -> str | None:
    """None when there is nothing to explain (the source answered)."""
    title = TITLES.get(source, source)
    if status is SourceStatus.OK:
        return None
    if status is SourceStatus.NOT_APPLICABLE:
        return (
            f"The {title} finds people by Latvian personal code. You logged in with a foreign "
            "identity that has none, so it cannot be asked for you."
        )
    if status is SourceStatus.WITHHELD:
        return (
            f"You chose not to use the {title} here. You can switch it back on in your data "
            "settings."
        )
    failure = _FAILURES.get(reason or "", "is not available")
    if status is SourceStatus.STALE:
        return f"The {title} {failure}. Showing what it said last time (see the time)."
    return f"The {title} {failure}, and we have nothing saved from it yet. Try again later."
