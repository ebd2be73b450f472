"""In-memory state of one provider instance: codes, tokens, login requests, browser sessions.

The provider runs as one process (`vienuviet idp`), and every Authlib call that reads and
writes this state runs without an `await` in between, so no locking is needed. Expired entries
are dropped on each write; counts are capped so that a loop of requests cannot exhaust memory.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import TypeVar

from integrations.devstack.dev_idp.models import AccessToken, AuthorizationCode, LoggedInUser

MAX_ENTRIES = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class LoginRequest:
    """An authorization request waiting for the persona picker, bound to one browser."""

    id: str
    csrf_token: str
    browser_id: str
    params: tuple[tuple[str, str], ...]
    expires_at: int


@dataclass(frozen=True)
class Session:
    user: LoggedInUser
    expires_at: int


def _cap(entries: dict[str, T]) -> None:
    while len(entries) > MAX_ENTRIES:
        entries.pop(next(iter(entries)))  # the oldest insertion goes first


class Store:
    def __init__(self, code_retention_s: int) -> None:
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.login_requests: dict[str, LoginRequest] = {}
        self.sessions: dict[str, Session] = {}
        self.assertion_ids: dict[str, int] = {}
        """`jti` of client assertions already used (private_key_jwt), until they expire."""
        self.code_retention_s = code_retention_s
        """A used code is kept this long past its expiry, so that a replay can still revoke
        the tokens issued for it (RFC 6749 §4.1.2): the access token lifetime."""

    def purge(self) -> None:
        now = int(time.time())
        keep = self.code_retention_s
        self.codes = {k: v for k, v in self.codes.items() if v.expires_at + keep > now}
        self.tokens = {k: v for k, v in self.tokens.items() if v.issued_at + v.expires_in > now}
        self.login_requests = {k: v for k, v in self.login_requests.items() if v.expires_at > now}
        self.sessions = {k: v for k, v in self.sessions.items() if v.expires_at > now}
        self.assertion_ids = {k: v for k, v in self.assertion_ids.items() if v > now}

    def add_code(self, code: AuthorizationCode) -> None:
        self.purge()
        self.codes[code.code] = code
        _cap(self.codes)

    def add_token(self, token: AccessToken) -> None:
        self.purge()
        self.tokens[token.access_token] = token
        _cap(self.tokens)

    def revoke_tokens_of(self, code: str) -> int:
        revoked = 0
        for token in self.tokens.values():
            if token.code == code and not token.revoked:
                token.revoked = True
                revoked += 1
        return revoked

    def add_login_request(
        self, browser_id: str, params: tuple[tuple[str, str], ...], lifetime_s: int
    ) -> LoginRequest:
        self.purge()
        request = LoginRequest(
            id=secrets.token_urlsafe(16),
            csrf_token=secrets.token_urlsafe(32),
            browser_id=browser_id,
            params=params,
            expires_at=int(time.time()) + lifetime_s,
        )
        self.login_requests[request.id] = request
        _cap(self.login_requests)
        return request

    def login_request(self, request_id: str) -> LoginRequest | None:
        found = self.login_requests.get(request_id)
        return found if found and found.expires_at > time.time() else None

    def start_session(self, user: LoggedInUser, lifetime_s: int) -> str:
        self.purge()
        session_id = secrets.token_urlsafe(32)
        self.sessions[session_id] = Session(user, int(time.time()) + lifetime_s)
        _cap(self.sessions)
        return session_id

    def session_user(self, session_id: str | None) -> LoggedInUser | None:
        found = self.sessions.get(session_id or "")
        return found.user if found and found.expires_at > time.time() else None

    def end_session(self, session_id: str | None) -> None:
        self.sessions.pop(session_id or "", None)

    def use_assertion_id(self, key: str, expires_at: int) -> bool:
        """Record a client assertion's `jti`; False when it was used before."""
        self.purge()
        if key in self.assertion_ids:
            return False
        self.assertion_ids[key] = expires_at
        _cap(self.assertion_ids)
        return True
