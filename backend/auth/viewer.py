"""The person making the current request, if logged in: loaded once per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.di import NamedDependency

from backend.auth.assurance import Level
from backend.auth.people import PersonRecord, get_person
from backend.auth.sessions import Session

if TYPE_CHECKING:
    from backend.services import Services

_STATE_KEY = "vienuviet_viewer"


@dataclass(frozen=True)
class Viewer:
    person: PersonRecord
    session_id: str
    session: Session

    @property
    def level(self) -> Level:
        return Level(self.session.level)

    @property
    def acting_as(self) -> str:
        return self.session.acting_as


async def load_viewer(request: Request[Any, Any, Any], services: Services) -> Viewer | None:
    """The viewer for this request (cached on the request: pages and GraphQL share it)."""
    if _STATE_KEY in request.scope["state"]:
        cached: Viewer | None = request.scope["state"][_STATE_KEY]
        return cached
    viewer: Viewer | None = None
    session_id = request.cookies.get(services.auth.cookies.session)
    session = await services.auth.sessions.load(session_id)
    if session is not None and session_id is not None:
        person = await get_person(session.person_id)
        if person is not None:
            viewer = Viewer(person=person, session_id=session_id, session=session)
    request.scope["state"][_STATE_KEY] = viewer
    return viewer


def forget_viewer(request: Request[Any, Any, Any]) -> None:
    """Drop the cached viewer (after login, logout or a change of acting-as)."""
    request.scope["state"].pop(_STATE_KEY, None)


async def provide_viewer(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Viewer | None:
    """Litestar dependency `viewer`."""
    return await load_viewer(request, services)
