"""Drive the development identity provider as a browser and a relying party would, by hand.

Plain httpx, PKCE computed here, ID tokens checked with joserfc: nothing from the provider's
own code, so the tests prove it speaks the protocol rather than agreeing with itself. The
relying-party tests can use `login()` to get through the persona picker.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet
from litestar import Litestar

from integrations.devstack.dev_idp import DevIdPSettings, RegisteredClient, create_idp_app
from integrations.devstack.dev_idp.provider import Provider
from tests.servers import bound_socket, serve


@dataclass
class RunningIdP:
    url: str
    """The issuer: point `OIDC_ISSUER` here."""
    app: Litestar

    @property
    def provider(self) -> Provider:
        provider: Provider = self.app.state.provider
        return provider

    def endpoint(self, name: str) -> str:
        """URL of `authorize`, `token`, `userinfo`, `jwks`, `end_session`, `faults`, ..."""
        return self.provider.endpoint(name)

    async def jwks(self, http: httpx.AsyncClient) -> dict[str, Any]:
        response = await http.get(self.endpoint("jwks"))
        assert response.status_code == 200
        jwks: dict[str, Any] = response.json()
        return jwks


@asynccontextmanager
async def running_idp(
    *clients: RegisteredClient, sock: socket.socket | None = None, path: str = "", **settings: Any
) -> AsyncIterator[RunningIdP]:
    """Serve a fresh provider on loopback whose issuer is its own address (plus `path`).

    Pass `sock` (tests.servers.bound_socket()) to know the address before it starts.
    """
    sock = sock or bound_socket()
    host, port = sock.getsockname()[:2]
    issuer = f"http://{host}:{port}{path}"
    app = create_idp_app(DevIdPSettings(issuer=issuer, clients=clients, **settings))
    async with serve(app, sock):
        yield RunningIdP(issuer, app)


@dataclass(frozen=True)
class AuthRequest:
    """One authorization request and the secrets the relying party keeps for it."""

    params: dict[str, str]
    verifier: str

    @property
    def state(self) -> str:
        return self.params["state"]

    @property
    def nonce(self) -> str:
        return self.params["nonce"]


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def auth_request(client_id: str, redirect_uri: str, **extra: str | None) -> AuthRequest:
    """A code-flow request with PKCE S256, state and nonce; `extra=None` drops a parameter."""
    verifier = secrets.token_urlsafe(48)
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid profile",
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
        **extra,
    }
    return AuthRequest({k: v for k, v in params.items() if v is not None}, verifier)


@dataclass
class Form:
    action: str = ""
    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checked: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    """id of each input → its label's text."""


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = Form()
        self._label_for: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form.action = a.get("action", "")
        elif tag == "input" and a.get("type") == "hidden":
            self.form.hidden[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "radio":
            self.form.radios.setdefault(a["name"], []).append(a["value"])
            if "checked" in a:
                self.form.checked[a["name"]] = a["value"]
        elif tag == "label":
            self._label_for = a.get("for")
            self.form.labels[self._label_for or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._label_for is not None:
            self.form.labels[self._label_for] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None


def parse_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    return parser.form


async def choose(
    browser: httpx.AsyncClient, page: httpx.Response, persona: str, method: str, **extra: str
) -> httpx.Response:
    """Submit the persona picker shown on `page` (by default pressing "Log in")."""
    form = parse_form(page.text)
    data = {**form.hidden, "persona": persona, "method": method, "action": "login", **extra}
    return await browser.post(page.url.join(form.action), data=data)


async def login(
    browser: httpx.AsyncClient, authorize_url: str, request: AuthRequest, persona: str, method: str
) -> httpx.URL:
    """Open the authorization endpoint, pick a persona and method; return the redirect."""
    page = await browser.get(authorize_url, params=request.params)
    assert page.status_code == 200, page.text
    answer = await choose(browser, page, persona, method)
    assert answer.status_code in (302, 303), answer.text
    return httpx.URL(answer.headers["location"])


async def redeem(
    browser: httpx.AsyncClient,
    token_url: str,
    code: str,
    request: AuthRequest,
    auth: tuple[str, str] | None,
    **extra: str,
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": request.params["redirect_uri"],
        "code_verifier": request.verifier,
        **extra,
    }
    return await browser.post(token_url, data=data, auth=auth)


def verify_id_token(id_token: str, jwks: dict[str, Any]) -> jwt.Token:
    """Signature checked against the published JWKS; claims are left to the caller."""
    return jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])  # type: ignore[arg-type]
