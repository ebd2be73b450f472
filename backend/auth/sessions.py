"""Server-side sessions in the configured store (Redis or in-process).

The browser holds only a random session id in an HttpOnly cookie; everything else — who,
since when, at which assurance level, acting for whom, and the provider's ID token (kept for
the logout hint) — stays on the server. Records are stored under a hash of the id, so a copy
of the store holds no usable session ids.

- Idle timeout and absolute lifetime are enforced on every load.
- A fresh id is issued at every login (no session fixation).
- "Log out everywhere" raises the person's session epoch; sessions from older epochs are void.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass, replace

from litestar.stores.base import Store

from backend.auth.oidc import PendingLogin
from backend.settings import AuthSettings, WebSettings

PENDING_LOGIN_TTL_S = 600
SESSIONS_STORE = "sessions"
EPOCHS_STORE = "session-epochs"
MAX_ID_LENGTH = 128  # ours are 43 characters; anything much longer is not worth hashing
# Writing last_seen on every request would turn each read into a store write; a minute of
# slack on a 15-minute idle timeout is not worth that cost.
TOUCH_INTERVAL_S = 60


@dataclass(frozen=True)
class Session:
    person_id: str
    epoch: int
    level: int
    acting_as: str
    created_at: float
    last_seen: float
    id_token: str | None = None


# Set for a few minutes by logging out, so the landing page can say once that it worked.
LOGGED_OUT_COOKIE = "vienuviet-logged-out"


@dataclass(frozen=True)
class CookieNames:
    session: str
    login: str
    secure: bool

    @classmethod
    def for_web(cls, web: WebSettings) -> CookieNames:
        # __Host- cookies must be Secure, path=/ and host-only: only possible over https.
        if web.is_https:
            return cls(session="__Host-vienuviet", login="__Host-vienuviet-login", secure=True)
        return cls(session="vienuviet", login="vienuviet-login", secure=False)


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def record_key(session_id: str) -> str:
    """The key of a session's record in the SESSIONS_STORE (a hash, never the id itself)."""
    return _key(session_id)


def parse_record(raw: bytes | str | None) -> Session | None:
    if raw is None:
        return None
    return Session(**json.loads(raw))


def parse_epoch(raw: bytes | str | None) -> int:
    """A person's session epoch as stored in the EPOCHS_STORE (0: never raised)."""
    return int(raw) if raw is not None else 0


class SessionManager:
    def __init__(
        self, sessions: Store, pending: Store, epochs: Store, settings: AuthSettings
    ) -> None:
        self.sessions = sessions
        self.pending = pending
        self.epochs = epochs
        self.settings = settings

    # --- pending logins -------------------------------------------------------------------
    async def remember_pending(self, pending: PendingLogin) -> str:
        login_id = secrets.token_urlsafe(32)
        await self.pending.set(
            _key(login_id), json.dumps(asdict(pending)), expires_in=PENDING_LOGIN_TTL_S
        )
        return login_id

    async def take_pending(self, login_id: str | None) -> PendingLogin | None:
        """The pending login for this browser, usable once."""
        if not login_id:
            return None
        key = _key(login_id)
        raw = await self.pending.get(key)
        if raw is None:
            return None
        await self.pending.delete(key)
        return PendingLogin(**json.loads(raw))

    # --- sessions -------------------------------------------------------------------------
    async def create(
        self, person_id: str, epoch: int, level: int, id_token: str | None
    ) -> tuple[str, Session]:
        now = time.time()
        session = Session(
            person_id=person_id,
            epoch=epoch,
            level=level,
            acting_as=f"person:{person_id}",
            created_at=now,
            last_seen=now,
            id_token=id_token,
        )
        session_id = secrets.token_urlsafe(32)
        await self._write(session_id, session)
        return session_id, session

    async def load(self, session_id: str | None) -> Session | None:
        """The live session for this id, or None (expired, idle too long, ended, unknown)."""
        if not session_id or len(session_id) > MAX_ID_LENGTH:
            return None
        session = parse_record(await self.sessions.get(record_key(session_id)))
        if session is None:
            return None
        return await self.check(session_id, session, await self.current_epoch(session.person_id))

    async def check(self, session_id: str, session: Session, current_epoch: int) -> Session | None:
        """`session` as read from the store for `session_id` if it is still live, else None
        (and it is removed). For callers that read the record themselves, together with other
        keys in one round trip (`backend/graphql/answers.py`); `load` is the usual way."""
        now = time.time()
        if (
            now - session.created_at > self.settings.session_absolute_s
            or now - session.last_seen > self.settings.session_idle_s
            or session.epoch < current_epoch
        ):
            await self.destroy(session_id)
            return None
        if now - session.last_seen > TOUCH_INTERVAL_S:
            session = replace(session, last_seen=now)
            await self._write(session_id, session)
        return session

    async def update(self, session_id: str, session: Session) -> None:
        await self._write(session_id, session)

    async def destroy(self, session_id: str) -> None:
        await self.sessions.delete(record_key(session_id))

    async def _write(self, session_id: str, session: Session) -> None:
        remaining = self.settings.session_absolute_s - (time.time() - session.created_at)
        ttl = max(1, int(min(self.settings.session_idle_s, remaining)))
        await self.sessions.set(record_key(session_id), json.dumps(asdict(session)), expires_in=ttl)

    # --- log out everywhere ---------------------------------------------------------------
    async def current_epoch(self, person_id: str) -> int:
        return parse_epoch(await self.epochs.get(person_id))

    async def end_all(self, person_id: str) -> int:
        """Void every session of this person; returns the new epoch for a session made now."""
        epoch = await self.current_epoch(person_id) + 1
        # Kept longer than any session can live, so no voided session outlives its epoch.
        await self.epochs.set(
            person_id, str(epoch), expires_in=self.settings.session_absolute_s + 3600
        )
        return epoch
