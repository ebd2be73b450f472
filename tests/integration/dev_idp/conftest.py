"""A development identity provider per test, over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from integrations.devstack.dev_idp import RegisteredClient
from tests.idp_driver import AuthRequest, RunningIdP, auth_request
from tests.idp_driver import running_idp as driver_running_idp

CLIENT_ID = "rp-test"
CLIENT_SECRET = "rp-test-secret"
REDIRECT_URI = "http://127.0.0.1:9/auth/callback"
POST_LOGOUT_URI = "http://127.0.0.1:9/"
BASIC = (CLIENT_ID, CLIENT_SECRET)


def rp_client() -> RegisteredClient:
    return RegisteredClient(
        CLIENT_ID,
        (REDIRECT_URI,),
        client_secret=CLIENT_SECRET,
        post_logout_redirect_uris=(POST_LOGOUT_URI,),
    )


class IdP(RunningIdP):
    def request(self, **extra: str | None) -> AuthRequest:
        """An authorization request from the test client; `extra` adds or (None) drops."""
        redirect_uri = extra.pop("redirect_uri", None) or REDIRECT_URI
        return auth_request(CLIENT_ID, redirect_uri, **extra)


@asynccontextmanager
async def running_idp(**overrides: Any) -> AsyncIterator[IdP]:
    """A provider knowing the test client (or `clients=...`), on its own loopback port."""
    clients = overrides.pop("clients", (rp_client(),))
    async with driver_running_idp(*clients, **overrides) as server:
        yield IdP(server.url, server.app)


@pytest.fixture
async def idp() -> AsyncIterator[IdP]:
    async with running_idp() as server:
        yield server


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    """A user agent with its own cookie jar that does not follow redirects."""
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        yield client
