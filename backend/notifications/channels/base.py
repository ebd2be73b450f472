"""One interface for every channel a notice can go out on: the dispatcher hands a claimed
outbox row to the `Channel` named by the row and gets back what happened.

A channel re-checks its target at send time (the person may have removed the device or
changed the address since the notice was queued, or the target may have stopped working):
an unverified contact still receives nothing but its verification code. A channel writes
nothing to the database: `engine/delivery.py` records the outcomes of a whole batch in one
transaction, and `engine/health.py` counts `succeeded`, `gone` and `blamed` targets. A channel
may raise; `engine/dispatch.py` turns that into a failed row of its own, so one message that
cannot be sent never costs the others their outcome.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from backend.notifications.engine.outbox import Claimed
from backend.notifications.render.messages import Rendered, in_language, render

TEST_KIND = "account.test"
"""`sendTestNotification`: a test goes to a target even while it is marked unhealthy."""


@dataclass(frozen=True)
class AttemptRecord:
    """One try at one target (a device, a contact point), as the attempt log keeps it."""

    channel: str
    target_id: uuid.UUID | None
    outcome: str
    status_code: int | None = None
    error_class: str | None = None
    duration_ms: int = 0


@dataclass(frozen=True)
class Device:
    id: uuid.UUID
    endpoint: str
    p256dh: str
    auth: str
    label: str
    healthy: bool


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID
    address: str
    verified: bool
    healthy: bool


@dataclass
class BatchContext:
    """The targets of a batch's people, loaded once for the batch (`dispatch.load_context`)."""

    devices: dict[uuid.UUID, list[Device]]
    contacts: dict[tuple[uuid.UUID, str], Contact]
    """By (person, contact kind: `email` or `phone`)."""


@dataclass
class RowResult:
    row: Claimed
    status: str
    """sent | retry | failed | skipped"""
    reason: str | None = None
    retry_after_s: float | None = None
    delivered_to: list[str] = field(default_factory=list)
    attempts: list[AttemptRecord] = field(default_factory=list)
    succeeded: list[uuid.UUID] = field(default_factory=list)
    """Devices or contact points that took it (their failure streak ends)."""
    gone: list[uuid.UUID] = field(default_factory=list)
    """Devices the push service says no longer exist (404/410)."""
    blamed: list[uuid.UUID] = field(default_factory=list)
    """Targets that refused it themselves (a bounce, an invalid number, a broken device)."""


class Channel(Protocol):
    """A way a notice reaches a person: Web Push, e-mail, SMS, in-app."""

    @property
    def name(self) -> str:
        """The outbox rows' `channel` this one sends (`model.Channel`)."""
        ...

    async def deliver(self, row: Claimed, targets: BatchContext) -> RowResult:
        """Send `row` to its person's targets on this channel and say what happened."""
        ...


def rendered(row: Claimed, public_url: str) -> Rendered:
    """The row's notice in the row's language."""
    return _render_cached(
        row.kind, tuple(sorted(row.params.items())), row.link, public_url, row.language
    )


@lru_cache(maxsize=4096)
def _render_cached(
    kind: str, params: tuple[tuple[str, str], ...], link: str, public_url: str, language: str
) -> Rendered:
    """A notice sent to many people is rendered once per language (Babel is not cheap)."""
    with in_language(language):
        return render(kind, dict(params), link, public_url)


def contact_block(contact: Contact | None, test: bool) -> str | None:
    """Why a contact point may not receive a notice now, or None when it may."""
    if contact is None:
        return "no_contact"
    if not contact.verified:
        return "unverified"  # the 2024 lesson: nothing but its code reaches it
    if not contact.healthy and not test:
        return "unhealthy"
    return None
