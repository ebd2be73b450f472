"""The deadlines a page offers to keep on the device ("keep my deadlines on this device").

Pages that show a person's deadlines embed them with the `offline_snapshot` macro
(pwa/templates/components/offline_snapshot.html); pwa/static/js/offline-snapshot.js encrypts them
into IndexedDB and the offline page lists them. The obligations feature supplies the list by
setting `app.state["offline_deadlines"]` to its own `DeadlineSource`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from backend.lib.offline import OfflineDeadline

if TYPE_CHECKING:
    from backend.auth.viewer import Viewer

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
