"""HTTP routes: the private calendar feed and the single-obligation .ics download.

The feed URL is a secret: route templates, never paths, are what our logs may record (see
backend/web/errors.py), and a malformed, unknown or revoked token is a plain 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from backend.auth.viewer import Viewer
from backend.lib import i18n
from backend.lib.errors import Forbidden, NotFound, Unauthenticated
from backend.notifications.preferences.choices import person_choices
from backend.obligations import feeds, ical
from backend.obligations.access import subject_access
from backend.obligations.service import current

if TYPE_CHECKING:
    from backend.services import Services

# Litestar appends "; charset=utf-8" to every text/* type itself: naming it here sent it twice.
CALENDAR = "text/calendar"
PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


def uid_domain(services: Services) -> str:
    return urlsplit(services.settings.web.public_url).hostname or "vienuviet"


def _name(subject_name: str | None) -> str:
    return f"Vienuviet: {subject_name}" if subject_name else "Vienuviet"


@get("/calendar/{feed:str}", include_in_schema=False, cache_control=None)
async def calendar_feed(
    feed: FromPath[str], services: NamedDependency[Services]
) -> Response[bytes]:
    """The feed behind a secret URL `/calendar/<token>.ics`."""
    if not feed.endswith(".ics"):
        raise NotFound("No such calendar.")
    owner = await feeds.owner_of(feed.removesuffix(".ics"))
    try:
        access, subject = await subject_access(
            owner.person, owner.subject_key, services.auth.representations, login=None
        )
    except Forbidden:  # the right to see the subject has gone: the feed shows nothing
        raise NotFound("No such calendar.") from None
    view = await current(services.obligations, subject)
    # A calendar app asks without a language: the feed speaks its owner's (as notices do).
    choices = await person_choices([owner.person.id])
    language = choices[owner.person.id].language if owner.person.id in choices else "lv"
    body = ical.feed(
        view.obligations,
        name=_name(access.name if access.is_company else None),
        now=services.obligations.clock(),
        domain=uid_domain(services),
        language=language,
    )
    return Response(body, media_type=CALENDAR, headers=PRIVATE)


@get("/obligations/{file:str}", include_in_schema=False, cache_control=None)
async def obligation_ics(
    file: FromPath[str],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    subject: FromQuery[str | None] = None,
) -> Response[bytes]:
    """One obligation of the viewer's acting-as subject (or `?subject=`) as an .ics file."""
    if viewer is None:
        raise Unauthenticated("Log in to download this.")
    if not file.endswith(".ics"):
        raise NotFound("No such obligation.")
    wanted = file.removesuffix(".ics")
    _, ref = await subject_access(
        viewer.person,
        subject or viewer.acting_as,
        services.auth.representations,
        login=(viewer.level, services.settings.auth),
    )
    view = await current(services.obligations, ref)
    found = next((o for o in view.evaluation.obligations if o.id == wanted), None)
    if found is None:
        raise NotFound("No such obligation.")
    body = ical.single(
        found,
        now=services.obligations.clock(),
        domain=uid_domain(services),
        language=i18n.current_language.get(),
    )
    headers = {**PRIVATE, "Content-Disposition": 'attachment; filename="obligation.ics"'}
    return Response(body, media_type=CALENDAR, headers=headers)


ROUTES: list[Any] = [calendar_feed, obligation_ics]
