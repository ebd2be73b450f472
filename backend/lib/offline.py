"""A deadline a page offers to keep on the device: what a feature hands the web shell.

The obligations feature lists a person's (`backend/obligations/offline.py`), the app puts that
source into `app.state["offline_deadlines"]`, and the shell's pages embed the list for
pwa/static/js/offline-snapshot.js (`backend/web/offline.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
