"""The deadlines a signed-in person may keep on their device (`backend/lib/offline.py`).

The person's own obligations, with titles rendered in the language of the page that offers
the snapshot (the person's language as they browse); the offline page shows them as they were
written, so a later language change applies at the next snapshot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from backend.lib.offline import OfflineDeadline
from backend.lib.texts import render
from backend.obligations.service import SubjectRef, current

if TYPE_CHECKING:
    from backend.auth.viewer import Viewer
    from backend.services import Services

LINK = "/obligations"


def deadline_source(
    services: Services,
) -> Callable[[Viewer], Awaitable[Sequence[OfflineDeadline]]]:
    """What `app.state["offline_deadlines"]` holds: the person's own obligations."""

    async def own_deadlines(viewer: Viewer) -> Sequence[OfflineDeadline]:
        person = viewer.person
        view = await current(services.obligations, SubjectRef.of_person(person))
        name = f"{person.given_name} {person.family_name}"
        return [OfflineDeadline(render(o.title), o.due_date, name, LINK) for o in view.obligations]

    return own_deadlines
