"""`POST /oauth/token`: the client-credentials grant, run by Authlib's provider components.

Authlib has no Litestar integration, so this module is the adapter (compare
`authlib.integrations.flask_oauth2`): it turns a Litestar request into an `OAuth2Request` and
Authlib's `(status, body, headers)` into a Litestar response. Authlib's server is synchronous
and checking a secret costs tens of milliseconds of CPU (scrypt), so the client row is fetched
first (async) and the grant then runs in a worker thread, off the event loop.

Errors follow RFC 6749 §5.2 (`{"error": "invalid_client", ...}`), as OAuth clients expect.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import scope_to_list
from joserfc.jwk import Key

from backend.eaddress.institution_api.credentials import dummy_hash, verify_secret
from backend.eaddress.institution_api.institutions import InstitutionClient
from backend.eaddress.institution_api.tokens import SCOPES, issue_token

TOKEN_PATH = "/oauth/token"  # noqa: S105 - a path
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class _Client(ClientMixin):  # type: ignore[misc]
    def __init__(self, client: InstitutionClient | None) -> None:
        self.client = client

    def get_client_id(self) -> str:
        return self.client.client_id if self.client else ""

    def get_default_redirect_uri(self) -> None:
        return None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_client_secret(self, client_secret: str) -> bool:
        if self.client is None:
            verify_secret(client_secret, dummy_hash())  # same cost as a real check
            return False
        return verify_secret(client_secret, self.client.secret_hash)

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = self.client.scopes if self.client else frozenset()
        requested = scope_to_list(scope) if scope else list(SCOPES)
        return " ".join(s for s in requested if s in allowed)


class _Grant(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_requested_scope(self) -> None:
        super().validate_requested_scope()
        requested = set(scope_to_list(self.request.payload.scope) or [])
        client: _Client = self.request.client
        if client.client is None or not requested <= client.client.scopes:
            raise InvalidScopeError("The client may not request this scope.")


class _TokenRequest(OAuth2Request):  # type: ignore[misc]
    def __init__(self, uri: str, headers: dict[str, str], form: dict[str, str]) -> None:
        super().__init__("POST", uri, headers=headers)
        self.payload = BasicOAuth2Payload(form)
        self._form = form

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self._form


class TokenServer(AuthorizationServer):  # type: ignore[misc]
    """One per request: it holds the one client row fetched for this request."""

    def __init__(self, client: InstitutionClient | None, *, key: Key, issuer: str, ttl_s: int):
        super().__init__(scopes_supported=list(SCOPES))
        self._client = _Client(client)
        self._key, self._issuer, self._ttl_s = key, issuer, ttl_s
        self.register_grant(_Grant)
        self.register_token_generator("default", self._generate)

    def query_client(self, client_id: str) -> _Client:
        return self._client  # looked up before; an unknown id fails the secret check

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        return None  # self-contained JWT: nothing to store (see tokens.py)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        return status, body, headers

    def _generate(self, *, client: _Client, scope: str | None, **_: Any) -> dict[str, Any]:
        assert client.client is not None
        granted = client.get_allowed_scope(scope).split()
        token = issue_token(
            self._key,
            issuer=self._issuer,
            institution_id=client.client.id,
            client_id=client.client.client_id,
            scopes=granted,
            ttl_s=self._ttl_s,
        )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self._ttl_s,
            "scope": " ".join(granted),
        }


def requested_client_id(authorization: str | None, form: dict[str, str]) -> str:
    """The client id the request claims, from HTTP Basic or the form (not yet verified)."""
    if authorization and authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote(decoded.split(":", 1)[0])
    return form.get("client_id", "")


def parse_form(body: bytes) -> dict[str, str] | None:
    """The urlencoded form; None if it is not UTF-8 or repeats a parameter (RFC 6749 §3.2)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    form = dict(pairs)
    return form if len(form) == len(pairs) else None


async def token_response(
    server: TokenServer, uri: str, authorization: str | None, form: dict[str, str]
) -> tuple[int, Any, list[tuple[str, str]]]:
    headers = {"Authorization": authorization} if authorization else {}
    request = _TokenRequest(uri, headers, form)
    result: tuple[int, Any, list[tuple[str, str]]] = await asyncio.to_thread(
        server.create_token_response, request
    )
    return result
