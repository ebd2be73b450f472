"""Whose mailbox a GraphQL call is about, and whether the viewer's login is strong enough.

The subject is `subjectId` or, by default, whom the viewer acts as. Who may do what in it is
decided by `services.eaddress.access` (the identity layer: the person themselves,
representatives, delegates with `view_mail` / `send_mail`); the e-address accepts no weak
(bank) login, and a company needs the company level as well.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import strawberry

from backend.auth.assurance import STEP_UP, Level, needed_level, require_level
from backend.auth.viewer import Viewer
from backend.eaddress.errors import AttachmentNotFound, MessageNotFound
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of
from backend.lib.errors import AppError, Forbidden, NotFound

if TYPE_CHECKING:
    from backend.services import Services

__all__ = ["STEP_UP", "level_for", "mailbox_reader", "resolve_reader", "summary_reader"]
FORBIDDEN = "You may not read this mailbox."
NO_SUCH_MESSAGE = "No such message."


def level_for(services: Services, subject_key: str) -> Level:
    """The e-address's own level (`AUTH_MIN_LEVEL_EADDRESS`), raised for a company by the one
    rule every company operation follows (`backend.auth.assurance.needed_level`)."""
    auth = services.settings.auth
    return needed_level(subject_key, auth, floor=Level.parse(auth.min_level_eaddress))


async def resolve_reader(
    services: Services, viewer: Viewer, subject_id: str | None, action: MailboxAction
) -> Reader:
    """The reader for `subject_id` (default: the acting-as subject), after checking `action`.

    Raises Forbidden: code `forbidden` for a mailbox the viewer may not use (a malformed id
    the same way), `step_up_required` when the login is too weak."""
    key = subject_id or viewer.acting_as
    try:
        reader = Reader(viewer.person.id, key)
    except ValueError:
        raise Forbidden(FORBIDDEN) from None
    if await services.eaddress.access.grant(reader, action) is None:
        raise Forbidden(FORBIDDEN)
    auth = services.settings.auth
    require_level(viewer.level, key, auth, floor=Level.parse(auth.min_level_eaddress))
    return reader


async def summary_reader(info: Info, subject_id: strawberry.ID | None) -> Reader:
    """The reader for the unread summary: the same access as the mailbox (`view`), but the
    login needs only the subject's own level, not the e-address's: that official mail is
    waiting, from whom and since when must never hide behind a step-up (issue 15). A company
    still needs the company level, as every company operation does."""
    viewer = viewer_of(info)
    key = str(subject_id) if subject_id else viewer.acting_as
    try:
        reader = Reader(viewer.person.id, key)
    except ValueError:
        raise Forbidden(FORBIDDEN) from None
    services = info.context.services
    if await services.eaddress.access.grant(reader, MailboxAction.VIEW) is None:
        raise Forbidden(FORBIDDEN)
    require_level(viewer.level, key, services.settings.auth)
    return reader


async def mailbox_reader(
    info: Info, subject_id: strawberry.ID | None, action: MailboxAction = MailboxAction.VIEW
) -> Reader:
    """`resolve_reader` for a resolver."""
    subject = str(subject_id) if subject_id else None
    return await resolve_reader(info.context.services, viewer_of(info), subject, action)


def message_uuid(value: strawberry.ID | str) -> uuid.UUID:
    """A message or attachment id; anything malformed is simply not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(NO_SUCH_MESSAGE) from None


def public_not_found(exc: AppError) -> AppError:
    """Another mailbox's message answers like a missing one, with the schema's `not_found`."""
    if isinstance(exc, MessageNotFound | AttachmentNotFound):
        return NotFound(exc.message)
    return exc
