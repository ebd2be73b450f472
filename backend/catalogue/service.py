"""The catalogue's façade: the published entries and search over them.

Pages, the public API, GraphQL and the embeddable widget read the catalogue only through
`CatalogueService`; none of them opens the content files or the index. Today the published
entries are the reviewed files (`content/`); the database store (versioned records that the
files and the institutions' publishing API both produce) replaces `_load` without changing this
interface. A snapshot is immutable: publishing builds a new one (and a new index) and swaps it,
so a reader never sees half an update.

`from_database` reads the published versions (`store.py`). `ensure_current` asks the database
for its revision (the count of published versions, one indexed aggregate) at most every
`refresh_s` seconds and rebuilds the snapshot when it moved, so every web process picks up a
publication within that time without any message between processes; the process that
published calls `invalidate()` and sees it on its next request. A database holding no
published version yet (before the first `vienuviet catalogue load`) serves the files.

Fillers (`filler.py`) are in the index, so search runs at the real portal's scale, but never
in the reading methods: public pages and the API show only real entries.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from backend.catalogue.files import Catalogue, load_content
from backend.catalogue.model import Institution, LifeSituation, Service, ServiceCentre
from backend.catalogue.search import SearchIndex, from_catalogue
from backend.catalogue.search.snippets import Marked

EntryKind = Literal["service", "life_situation"]
REFRESH_S = 5.0
"""How often (at most) a process asks the database whether the catalogue was published since."""
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One search answer as every surface shows it (API, GraphQL, the search page)."""

    id: str
    kind: EntryKind
    slug: str
    title: Marked
    snippet: Marked
    score: float

    @property
    def url(self) -> str:
        """The entry's public page (relative to the portal's origin)."""
        folder = "services" if self.kind == "service" else "life-situations"
        return f"/{folder}/{self.slug}"


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    """One entry of a service's public change history."""

    version: int
    author: str
    """`files` (the reviewed files) or `client:<id>` (an institution's API client)."""
    published_at: datetime


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One published state of the catalogue and the index built over it."""

    catalogue: Catalogue
    index: SearchIndex
    services_by_slug: dict[str, Service]
    situations_by_slug: dict[str, LifeSituation]
    institutions_by_slug: dict[str, Institution]

    @classmethod
    def of(cls, catalogue: Catalogue) -> Snapshot:
        documents = from_catalogue(
            catalogue.services.values(),
            catalogue.life_situations.values(),
            catalogue.institutions,
        )
        return cls(
            catalogue=catalogue,
            index=SearchIndex(documents),
            services_by_slug={s.slug: s for s in catalogue.services.values()},
            situations_by_slug={s.slug: s for s in catalogue.life_situations.values()},
            institutions_by_slug={i.slug: i for i in catalogue.institutions.values()},
        )


class CatalogueService:
    """What the portal publishes, read from one immutable snapshot at a time."""

    def __init__(
        self,
        snapshot: Snapshot | None = None,
        *,
        database: bool = False,
        refresh_s: float = REFRESH_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._snapshot = snapshot
        self._database = database
        self._refresh_s = refresh_s
        self._clock = clock
        self._revision: int | None = None
        self._checked_at: float | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_database(cls, *, refresh_s: float = REFRESH_S) -> CatalogueService:
        """The published versions in the database (the engine bound by `db.bind_engine`)."""
        return cls(database=True, refresh_s=refresh_s)

    @property
    def revision(self) -> int | None:
        """The database revision the snapshot was built from (None: the files)."""
        return self._revision

    def invalidate(self) -> None:
        """Check the database on the next `ensure_current` (this process just published)."""
        self._checked_at = None

    @classmethod
    def from_files(cls) -> CatalogueService:
        """The reviewed content files, loaded lazily on first use (start-up stays cheap)."""
        return cls()

    def _load(self) -> Snapshot:
        return Snapshot.of(load_content())

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = self._load()
        return self._snapshot

    async def ensure_current(self) -> None:
        """Make sure the snapshot is what is published now; call once per request before reading.

        The file-backed catalogue never changes while the process runs, so this only loads it;
        the database-backed one checks the store's revision here (cheap) and reloads on change.
        """
        if not self._database:
            _ = self.snapshot
            return
        checked = self._checked_at
        if checked is not None and self._clock() - checked < self._refresh_s:
            return
        async with self._lock:  # one rebuild per change, however many requests wait
            if self._checked_at is not None and self._clock() - self._checked_at < self._refresh_s:
                return
            from backend.catalogue import store

            current = await store.revision()
            if current != self._revision or self._snapshot is None:
                if current == 0:
                    catalogue = load_content()
                else:
                    catalogue = await store.published_catalogue()
                # Building the index is CPU work of a second or so at full scale: off the loop.
                self._snapshot = await asyncio.to_thread(Snapshot.of, catalogue)
                self._revision = current
                log.info("catalogue snapshot built", extra={"revision": current})
            self._checked_at = self._clock()

    async def warm_up(self) -> None:
        """Build the snapshot now (at start-up). A failure is logged, not raised: the
        workspace starts without the catalogue, and the next request tries again."""
        try:
            await self.ensure_current()
        except Exception as exc:  # start-up must not depend on the catalogue
            log.warning("catalogue not loaded at start-up", extra={"error": type(exc).__name__})

    def publish(self, catalogue: Catalogue) -> None:
        """Swap in a new published state (readers holding the old snapshot finish on it)."""
        self._snapshot = Snapshot.of(catalogue)

    # Reading -----------------------------------------------------------------------------

    def services(self) -> list[Service]:
        return [s for s in self.snapshot.catalogue.services.values() if not s.filler]

    def service(self, slug: str) -> Service | None:
        found = self.snapshot.services_by_slug.get(slug)
        return None if found is None or found.filler else found

    def service_by_id(self, service_id: str) -> Service | None:
        found = self.snapshot.catalogue.services.get(service_id)
        return None if found is None or found.filler else found

    def life_situations(self) -> list[LifeSituation]:
        return [s for s in self.snapshot.catalogue.life_situations.values() if not s.filler]

    def life_situation(self, slug: str) -> LifeSituation | None:
        found = self.snapshot.situations_by_slug.get(slug)
        return None if found is None or found.filler else found

    def life_situation_by_id(self, situation_id: str) -> LifeSituation | None:
        found = self.snapshot.catalogue.life_situations.get(situation_id)
        return None if found is None or found.filler else found

    def all_counts(self) -> dict[str, int]:
        """Entries in the snapshot per kind, fillers included (what search runs over)."""
        catalogue = self.snapshot.catalogue
        return {
            "services": len(catalogue.services),
            "life_situations": len(catalogue.life_situations),
            "institutions": len(catalogue.institutions),
            "service_centres": len(catalogue.service_centres),
        }

    def institutions(self) -> list[Institution]:
        return list(self.snapshot.catalogue.institutions.values())

    def institution(self, slug: str) -> Institution | None:
        return self.snapshot.institutions_by_slug.get(slug)

    def institution_by_id(self, institution_id: str) -> Institution | None:
        return self.snapshot.catalogue.institutions.get(institution_id)

    def service_centres(self) -> list[ServiceCentre]:
        return list(self.snapshot.catalogue.service_centres.values())

    async def history(self, service_id: str) -> list[PublishedVersion]:
        """The service's published versions, newest first (empty for the file-backed
        catalogue, which keeps no versions)."""
        if not self._database:
            return []
        from backend.catalogue import store

        return [
            PublishedVersion(v.version, v.author, v.published_at)
            for v in await store.history("services", service_id)
            if v.status == "published" and v.published_at is not None
        ]

    # Search ------------------------------------------------------------------------------

    def search(self, query: str, lang: str = "lv", limit: int = 10) -> list[SearchResult]:
        """The best `limit` published entries for `query`, titles and snippets in `lang`."""
        snapshot = self.snapshot
        results: list[SearchResult] = []
        for hit in snapshot.index.search(query, lang, limit):
            entry: Service | LifeSituation | None = (
                snapshot.catalogue.services.get(hit.id)
                if hit.kind == "service"
                else snapshot.catalogue.life_situations.get(hit.id)
            )
            if entry is None:  # pragma: no cover - the index is built from this snapshot
                continue
            results.append(
                SearchResult(
                    id=hit.id,
                    kind=hit.kind,
                    slug=entry.slug,
                    title=hit.title,
                    snippet=hit.snippet,
                    score=hit.score,
                )
            )
        return results
