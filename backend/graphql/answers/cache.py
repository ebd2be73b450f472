"""Kept answers: the finished JSON of a dashboard query, served again to the same session while
nothing it was built from has changed.

Why: building a warm dashboard (every source fresh in the cache) still costs ~10 ms of CPU —
graphql-core and Strawberry completing ~500 fields, the person and consent lookups — and an app
asks for the same dashboard on every open and every pull to refresh. A kept answer costs one
store round trip. (Server-rendered pages execute their own, larger documents in process and do
not pass through here.)

Serving one is correct because, on every hit, one round trip (an MGET on Redis) reads and checks
- the session: still live (idle and absolute timeouts, not logged out, epoch current) and still
  the same person, acting as themselves, at the same assurance level;
- the subject's version (`backend/dashboard/versions.py`): the one the answer was built under,
  so no source has answered afresh, no consent changed, no login brought a new name since;
and, in process, that the answer is not past its end: the moment its first source stops being
fresh (the loader would ask that registry again), or midnight in Riga (what "today" is).

Only some answers are kept: to a document reading nothing but `me` and `me.dashboard`'s
registry data (`eligible.py`), for the viewer's own dashboard, every source ok (or withheld, or
not applicable), without errors. Everything else is executed every time, as before.

Answers are kept in this process (an LRU of `GRAPHQL_KEPT_ANSWERS` entries) under the session
record's key, the request body's digest and the language. Each web process keeps its own; the
versions in the shared store keep them all honest.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from backend.auth.sessions import (
    EPOCHS_STORE,
    MAX_ID_LENGTH,
    SESSIONS_STORE,
    SessionManager,
    parse_epoch,
    parse_record,
    record_key,
)
from backend.auth.subjects import Basis
from backend.dashboard.service import LOADER_KEY, DashboardScope
from backend.dashboard.versions import STORE_NAME as VERSIONS_STORE
from backend.graphql.answers.eligible import reads_only_dashboard
from backend.lib.time import RIGA, utcnow

if TYPE_CHECKING:
    from backend.auth.viewer import Viewer
    from backend.lib.store import Stores

MAX_BODY_BYTES = 256 * 1024
"""A larger answer is not worth the memory it would hold in every process."""

Key = tuple[str, bytes, str]


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    person_id: str
    subject_key: str
    level: int
    version: bytes | None
    ends_at: datetime
    """The first source's end of freshness, or midnight in Riga."""
    body: bytes


@dataclass(frozen=True, slots=True)
class Candidate:
    """An answer being built that may be kept: what it is built for, and under which version."""

    key: Key
    viewer: Viewer
    version: bytes | None


def _key(session_id: str, body: bytes, language: str) -> Key:
    return (record_key(session_id), hashlib.sha256(body).digest(), language)


def next_riga_midnight(now: datetime) -> datetime:
    local = now.astimezone(RIGA)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), RIGA)


class AnswerCache:
    def __init__(
        self,
        stores: Stores,
        sessions: SessionManager,
        *,
        entries: int,
        max_tokens: int,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.stores = stores
        self.sessions = sessions
        self.entries = entries
        self.max_tokens = max_tokens
        self.clock = clock
        """The same clock as the dashboard's loader (`Services.clock`): freshness has one time."""
        self._kept: OrderedDict[Key, KeptAnswer] = OrderedDict()

    async def lookup(self, session_id: str | None, body: bytes, language: str) -> bytes | None:
        """The kept answer to this request if it is still exactly what executing would give."""
        if not self.entries or not session_id or len(session_id) > MAX_ID_LENGTH:
            return None
        key = _key(session_id, body, language)
        kept = self._kept.get(key)
        if kept is None:
            return None
        if self.clock() >= kept.ends_at:
            del self._kept[key]
            return None
        raw_session, raw_epoch, version = await self.stores.get_many(
            [
                (SESSIONS_STORE, key[0]),
                (EPOCHS_STORE, kept.person_id),
                (VERSIONS_STORE, kept.subject_key),
            ]
        )
        session = parse_record(raw_session)
        if session is not None:
            session = await self.sessions.check(session_id, session, parse_epoch(raw_epoch))
        if (
            session is None
            or session.person_id != kept.person_id
            or session.acting_as != kept.subject_key
            or session.level != kept.level
            or version != kept.version
        ):
            self._kept.pop(key, None)
            return None
        self._kept.move_to_end(key)
        return kept.body

    async def candidate(
        self,
        viewer: Viewer | None,
        body: bytes,
        language: str,
        query: str,
        operation_name: str | None,
    ) -> Candidate | None:
        """Before executing: whether the answer may be kept, and the version it is built under
        (read first: a change during execution leaves the answer with the older version)."""
        if (
            not self.entries
            or viewer is None
            or viewer.acting_as != viewer.person.subject_key
            or not reads_only_dashboard(query, operation_name, self.max_tokens)
        ):
            return None
        version = (await self.stores.get_many([(VERSIONS_STORE, viewer.acting_as)]))[0]
        return Candidate(_key(viewer.session_id, body, language), viewer, version)

    def keep(
        self,
        candidate: Candidate,
        per_request: dict[str, Any],
        response: dict[str, Any],
        encoded: bytes,
    ) -> None:
        """After executing: keep the answer if everything it shows may be shown again."""
        if "errors" in response or len(encoded) > MAX_BODY_BYTES:
            return
        ends_at = self._ends_at(candidate, per_request)
        if ends_at is None:
            return
        viewer = candidate.viewer
        self._kept[candidate.key] = KeptAnswer(
            person_id=viewer.session.person_id,
            subject_key=viewer.acting_as,
            level=viewer.session.level,
            version=candidate.version,
            ends_at=ends_at,
            body=encoded,
        )
        self._kept.move_to_end(candidate.key)
        while len(self._kept) > self.entries:
            self._kept.popitem(last=False)

    def _ends_at(self, candidate: Candidate, per_request: dict[str, Any]) -> datetime | None:
        # Every dashboard object resolved was the viewer's own (guard.dashboard_scope memos).
        for value in per_request.values():
            if isinstance(value, DashboardScope) and (
                value.subject.key != candidate.viewer.acting_as
                or value.access.basis is not Basis.SELF
            ):
                return None
        now = self.clock()
        ends = next_riga_midnight(now)
        loader = per_request.get(LOADER_KEY)
        if loader is not None:
            fresh_until = loader.fresh_until()
            if fresh_until is None:
                return None
            ends = min(ends, fresh_until)
        if ends <= now:
            return None
        return ends
