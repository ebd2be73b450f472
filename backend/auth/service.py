"""The identity layer's façade: the session cookies' names, sessions, the OpenID Connect
client (and its HTTP client) and who may act for which company — built once per process by
the composition root (`Services.build`) and reached as `services.auth`."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from backend.auth.oidc import OIDCClient
from backend.auth.sessions import EPOCHS_STORE, SESSIONS_STORE, CookieNames, SessionManager
from backend.auth.subjects import RepresentationSource
from backend.lib.store import Stores
from backend.settings import Settings

# The identity provider answers a login in well under a second; a hung one must not hold a
# request (and a person) for long.
OIDC_TIMEOUT = httpx.Timeout(connect=3.0, read=10.0, write=10.0, pool=3.0)


@dataclass(frozen=True)
class Auth:
    cookies: CookieNames
    sessions: SessionManager
    oidc: OIDCClient
    oidc_http: httpx.AsyncClient
    representations: RepresentationSource
    """Who may act for which company (the Enterprise Register, cached)."""

    @classmethod
    def build(
        cls, settings: Settings, stores: Stores, representations: RepresentationSource
    ) -> Auth:
        """No I/O: the HTTP client connects on first use."""
        oidc_http = httpx.AsyncClient(timeout=OIDC_TIMEOUT, follow_redirects=False)
        return cls(
            cookies=CookieNames.for_web(settings.web),
            sessions=SessionManager(
                sessions=stores.store(SESSIONS_STORE),
                pending=stores.store("oidc-pending"),
                epochs=stores.store(EPOCHS_STORE),
                settings=settings.auth,
            ),
            oidc=OIDCClient(
                settings.oidc,
                settings.auth,
                redirect_uri=f"{settings.web.public_url}/auth/callback",
                http=oidc_http,
            ),
            oidc_http=oidc_http,
            representations=representations,
        )

    async def close(self) -> None:
        await self.oidc_http.aclose()
