"""Files of the mailbox for the logged-in reader: attachments and the signed proof.

Session-authenticated like the pages, and authorised through the same `MailboxAccess` as the
GraphQL mailbox (`?subject=` names a company mailbox; default: whom the viewer acts as). An
attachment or message of another mailbox answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from backend.auth.viewer import Viewer
from backend.eaddress import service
from backend.eaddress.errors import AttachmentNotFound, MessageNotFound
from backend.eaddress.graphql.scope import resolve_reader
from backend.eaddress.mailbox.access import MailboxAction
from backend.eaddress.storage.proof import JWKS_PATH
from backend.lib.errors import NotFound
from backend.web.gql import LoginRequired

if TYPE_CHECKING:
    from backend.services import Services

PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _uuid(value: str, missing: NotFound) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise missing from None


def _viewer(request: Request[Any, Any, Any], viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise LoginRequired(request.url.path)
    return viewer


@get("/mail/attachments/{attachment_id:str}", include_in_schema=False)
async def mail_attachment(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    attachment_id: FromPath[str],
    subject: FromQuery[str | None] = None,
) -> Stream:
    person = _viewer(request, viewer)
    reader = await resolve_reader(services, person, subject, MailboxAction.VIEW)
    ctx = services.eaddress
    download = await service.download_by_attachment(
        reader, ctx.access, _uuid(attachment_id, AttachmentNotFound()), ctx.blobs
    )
    # Intake only accepts UTF-8 text; Litestar adds "; charset=utf-8" to every text/* type.
    return Stream(
        download.body, media_type=download.content_type, headers={**download.headers, **PRIVATE}
    )


async def _proof(
    request: Request[Any, Any, Any],
    services: Services,
    viewer: Viewer | None,
    message_id: str,
    subject: str | None,
) -> tuple[uuid.UUID, str]:
    person = _viewer(request, viewer)
    reader = await resolve_reader(services, person, subject, MailboxAction.VIEW)
    ctx = services.eaddress
    ident = _uuid(message_id, MessageNotFound())
    signed = await service.export_proof(
        reader, ctx.access, ident, key=ctx.keys.receipts_key, issuer=ctx.public_url
    )
    return ident, signed


def _disposition(message_id: uuid.UUID, suffix: str) -> str:
    return f'attachment; filename="eaddress-proof-{message_id}.{suffix}"'


@get("/mail/messages/{message_id:str}/proof.jws", include_in_schema=False)
async def mail_proof_jws(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    message_id: FromPath[str],
    subject: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The compact JWS (RFC 7515): verify it with the key set at JWKS_PATH."""
    ident, signed = await _proof(request, services, viewer, message_id, subject)
    headers = {**PRIVATE, "Content-Disposition": _disposition(ident, "jws")}
    return Response(signed.encode("ascii"), media_type="application/jose", headers=headers)


@get("/mail/messages/{message_id:str}/proof.json", include_in_schema=False)
async def mail_proof_json(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    viewer: NamedDependency[Viewer | None],
    message_id: FromPath[str],
    subject: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The same JWS in a JSON envelope naming the key set that verifies it."""
    ident, signed = await _proof(request, services, viewer, message_id, subject)
    body = {"proof": signed, "jwks_uri": services.eaddress.public_url + JWKS_PATH}
    headers = {**PRIVATE, "Content-Disposition": _disposition(ident, "json")}
    return Response(
        json.dumps(body).encode("utf-8"), media_type="application/json", headers=headers
    )


ROUTES = [mail_attachment, mail_proof_jws, mail_proof_json]
