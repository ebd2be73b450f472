"""Each source's last answer per subject, in the configured store (Redis or in-process).

One entry per (source, subject) holds the parts and when they were fetched. It is kept for
`DASHBOARD_LAST_KNOWN_S`, so it can be shown (marked stale) while the registry fails; it counts
as fresh for the source's TTL. Keys name the subject by our own key (`person:<uuid>` or
`company:<number>`), never by personal code.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from litestar.stores.base import Store

from backend.dashboard.sources import SourceSpec
from backend.lib.time import as_utc
from backend.settings import DashboardSettings
from integrations.registries.errors import MalformedPayload

log = logging.getLogger("vienuviet.dashboard")

STORE_NAME = "dashboard-cache"
FORMAT = 1


@dataclass(frozen=True)
class CachedAnswer:
    fetched_at: datetime
    parts: dict[str, Any]


def cache_key(source: str, subject_key: str) -> str:
    return f"{source}:{subject_key}"


@lru_cache(maxsize=1024)
def _decode(spec: SourceSpec, raw: bytes) -> CachedAnswer | None:
    """Parse an entry strictly; memoised on its bytes, as a warm dashboard reads the same
    entries over and over (the store stays the truth: a changed entry is other bytes)."""
    try:
        entry = json.loads(raw)
        if entry.get("v") != FORMAT:
            return None
        parts = {part.name: part.parse(entry["parts"][part.name]) for part in spec.parts}
        return CachedAnswer(as_utc(datetime.fromisoformat(entry["fetched_at"])), parts)
    except (ValueError, TypeError, KeyError, AttributeError, MalformedPayload) as exc:
        # A cache entry from another version, or damaged: ask the registry instead.
        log.warning("unreadable dashboard cache entry: source=%s (%s)", spec.name, type(exc))
        return None


class SourceCache:
    def __init__(self, store: Store, settings: DashboardSettings) -> None:
        self.store = store
        self.settings = settings

    async def get(self, spec: SourceSpec, subject_key: str) -> CachedAnswer | None:
        """The last answer, or None (never cached, expired, or unreadable: treated as none)."""
        raw = await self.store.get(cache_key(spec.name, subject_key))
        if raw is None:
            return None
        decoded = _decode(spec, raw)
        if decoded is None:
            return None
        # Lists are copied: the decoded models are shared by every request reading this entry.
        parts = {k: list(v) if isinstance(v, list) else v for k, v in decoded.parts.items()}
        return CachedAnswer(decoded.fetched_at, parts)

    async def put(
        self, spec: SourceSpec, subject_key: str, parts: dict[str, Any], fetched_at: datetime
    ) -> None:
        entry = {
            "v": FORMAT,
            "fetched_at": fetched_at.isoformat(),
            "parts": {part.name: part.to_wire(parts[part.name]) for part in spec.parts},
        }
        await self.store.set(
            cache_key(spec.name, subject_key),
            json.dumps(entry, ensure_ascii=False),
            expires_in=self.settings.last_known_s,
        )

    async def purge(self, source: str, subject_key: str) -> None:
        await self.store.delete(cache_key(source, subject_key))
