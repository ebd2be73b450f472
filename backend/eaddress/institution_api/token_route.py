"""The Litestar side of `POST /oauth/token` (the Authlib side is `oauth.py` beside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from backend.eaddress.institution_api import api_docs as docs
from backend.eaddress.institution_api.api_models import OAuthError, TokenResponse
from backend.eaddress.institution_api.institutions import client_for_token
from backend.eaddress.institution_api.oauth import (
    TOKEN_PATH,
    TokenServer,
    parse_form,
    requested_client_id,
    token_response,
)
from backend.lib.errors import RateLimited

if TYPE_CHECKING:
    from backend.services import Services

# Each attempt costs a scrypt check: bound what one address can make us spend.
ATTEMPTS_PER_MINUTE = 120
NO_CACHE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(status: int, error: str, description: str) -> Response[Any]:
    return Response(OAuthError(error, description), status_code=status, headers=NO_CACHE)


def token_endpoint() -> HTTPRouteHandler:
    @post(
        TOKEN_PATH,
        summary="OAuth 2.0 token endpoint (client credentials grant)",
        description="client_secret_basic or client_secret_post; scopes `eaddress.send`, "
        "`eaddress.read`, `catalogue:write`. Answers a short-lived bearer token (JWT).",
        tags=["OAuth"],
        operation_class=docs.TokenOperation,
        responses=docs.TOKEN_ERRORS,
        request_max_body_size=8192,
        status_code=200,
    )
    async def token(
        request: Request[Any, Any, Any], services: NamedDependency[Services]
    ) -> Response[TokenResponse]:
        client_ip = request.client.host if request.client else "unknown"
        hits, reset_s = await services.stores.counters.hit(f"oauth-token:{client_ip}", 60)
        if hits > ATTEMPTS_PER_MINUTE:
            raise RateLimited("Too many token requests.", retry_after=reset_s)
        if request.content_type[0] != "application/x-www-form-urlencoded":
            return _error(400, "invalid_request", "Send application/x-www-form-urlencoded.")
        form = parse_form(await request.body())
        if form is None:
            return _error(400, "invalid_request", "The form is malformed or repeats a parameter.")
        ctx = services.eaddress
        authorization = request.headers.get("authorization")
        client = await client_for_token(requested_client_id(authorization, form))
        server = TokenServer(
            client, key=ctx.keys.token_key, issuer=ctx.public_url, ttl_s=ctx.settings.token_ttl_s
        )
        status, body, headers = await token_response(
            server, ctx.public_url + TOKEN_PATH, authorization, form
        )
        return Response(body, status_code=status, headers={**dict(headers), **NO_CACHE})

    return token
