"""The sandbox's OAuth 2.0 client-credentials token endpoint and the bearer-token guard of every
registry route (RFC 6749 §4.4, client_secret_basic and client_secret_post; RFC 6750 errors)."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any
from urllib.parse import unquote_plus

from litestar import Request, Response, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from integrations.devstack.sandbox.settings import SOURCES
from integrations.devstack.sandbox.state import state_of
from integrations.devstack.sandbox.tokens import TokenRejected

REALM = "registry-sandbox"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(
    status: int, error: str, description: str, *, basic: bool = False
) -> Response[Any]:
    headers = dict(NO_STORE)
    if basic:
        headers["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    return Response(
        {"error": error, "error_description": description}, status_code=status, headers=headers
    )


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    # RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return unquote_plus(client_id), unquote_plus(secret)


def _client_error(request: Request[Any, Any, Any], form: Any) -> Response[Any] | None:
    """None when the client authenticated correctly, by exactly one method; else the error."""
    settings = state_of(request).settings
    header = request.headers.get("authorization")
    basic = _basic_credentials(header) if header else None
    posted = (form.get("client_id"), form.get("client_secret"))
    if header and basic is None:
        return _oauth_error(401, "invalid_client", "Unsupported client authentication", basic=True)
    if basic and any(posted):
        return _oauth_error(400, "invalid_request", "Use one client authentication method")
    client_id, secret = basic or posted
    if not isinstance(client_id, str) or not isinstance(secret, str):
        return _oauth_error(401, "invalid_client", "Client authentication failed", basic=True)
    ok_id = hmac.compare_digest(client_id.encode(), settings.client_id.encode())
    ok_secret = hmac.compare_digest(secret.encode(), settings.client_secret.encode())
    if not (ok_id and ok_secret):
        return _oauth_error(
            401, "invalid_client", "Client authentication failed", basic=bool(basic)
        )
    return None


@post("/oauth/token", status_code=200, include_in_schema=False)
async def token_endpoint(request: Request[Any, Any, Any]) -> Response[Any]:
    state = state_of(request)
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return _oauth_error(400, "invalid_request", "Use application/x-www-form-urlencoded")
    form = await request.form()
    if refused := _client_error(request, form):
        return refused
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported")
    requested = str(form.get("scope") or "").split()
    if any(scope not in SOURCES for scope in requested):
        return _oauth_error(400, "invalid_scope", "Unknown scope")
    scopes = sorted(requested or SOURCES)
    token, ttl = state.tokens.issue(scopes)
    state.tokens_issued += 1
    body = {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": " ".join(scopes),
    }
    return Response(body, headers=NO_STORE)


def _challenge(error: str | None = None, description: str | None = None, scope: str = "") -> str:
    parts = [f'realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{description}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return "Bearer " + ", ".join(parts)


def bearer_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Every registry route needs a valid token carrying that registry's scope."""
    source = handler.opt["source"]
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException(
            "A bearer token is required", headers={"WWW-Authenticate": _challenge()}
        )
    try:
        scopes = state_of(connection).tokens.verify(token.strip())
    except TokenRejected as rejected:
        raise NotAuthorizedException(
            rejected.description,
            headers={"WWW-Authenticate": _challenge("invalid_token", rejected.description)},
        ) from None
    if source not in scopes:
        raise PermissionDeniedException(
            "The token does not cover this registry",
            headers={"WWW-Authenticate": _challenge("insufficient_scope", scope=source)},
        )
