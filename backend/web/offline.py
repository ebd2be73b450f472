"""The deadlines a page offers to keep on the device ("keep my deadlines on this device").

Pages that show a person's deadlines embed them with the `offline_snapshot` macro
(pwa/templates/components/offline_snapshot.html); pwa/static/js/offline-snapshot.js encrypts them
into IndexedDB and the offline page lists them. The obligations feature supplies the list by
setting `app.state["offline_deadlines"]` to its own `DeadlineSource`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backend.auth.viewer import Viewer


@dataclass(frozen=True)
class OfflineDeadline:
    title: str
    """What is due, in the person's language ("Real-estate tax, 2nd instalment")."""
    due: date
    """The day it is due (already moved past weekends and holidays)."""
    subject: str
    """Whom it concerns: the person's name or the company's."""
    url: str
    """Same-site path of the deadline's page, e.g. /obligations/123."""

    def as_json(self) -> dict[str, str]:
        return {
            "title": self.title,
            "due": self.due.isoformat(),
            "subject": self.subject,
            "url": self.url,
        }


DeadlineSource = Callable[["Viewer"], Awaitable[Sequence[OfflineDeadline]]]


async def no_deadlines(viewer: Viewer) -> Sequence[OfflineDeadline]:
    """Until the obligations feature plugs in its source, there is nothing to keep."""
    return ()


async def deadlines_for(state: Any, viewer: Viewer | None) -> list[dict[str, str]]:
    """The snapshot JSON (a list of objects) for `viewer`, empty for visitors."""
    if viewer is None:
        return []
    source: DeadlineSource = state.get("offline_deadlines", no_deadlines)
    return [deadline.as_json() for deadline in await source(viewer)]
