"""The catalogue's façade: the published entries and search over them.

Pages, the public API, GraphQL and the embeddable widget read the catalogue only through
`CatalogueService`; none of them opens the content files or the index. Today the published
entries are the reviewed files (`content/`); the database store (versioned records that the
files and the institutions' publishing API both produce) replaces `_load` without changing this
interface. A snapshot is immutable: publishing builds a new one (and a new index) and swaps it,
so a reader never sees half an update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.catalogue.files import Catalogue, load_content
from backend.catalogue.model import Institution, LifeSituation, Service, ServiceCentre
from backend.catalogue.search import SearchIndex, from_catalogue
from backend.catalogue.search.snippets import Marked

EntryKind = Literal["service", "life_situation"]


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

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._snapshot = snapshot

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
        _ = self.snapshot

    def publish(self, catalogue: Catalogue) -> None:
        """Swap in a new published state (readers holding the old snapshot finish on it)."""
        self._snapshot = Snapshot.of(catalogue)

    # Reading -----------------------------------------------------------------------------

    def services(self) -> list[Service]:
        return list(self.snapshot.catalogue.services.values())

    def service(self, slug: str) -> Service | None:
        return self.snapshot.services_by_slug.get(slug)

    def service_by_id(self, service_id: str) -> Service | None:
        return self.snapshot.catalogue.services.get(service_id)

    def life_situations(self) -> list[LifeSituation]:
        return list(self.snapshot.catalogue.life_situations.values())

    def life_situation(self, slug: str) -> LifeSituation | None:
        return self.snapshot.situations_by_slug.get(slug)

    def institutions(self) -> list[Institution]:
        return list(self.snapshot.catalogue.institutions.values())

    def institution(self, slug: str) -> Institution | None:
        return self.snapshot.institutions_by_slug.get(slug)

    def institution_by_id(self, institution_id: str) -> Institution | None:
        return self.snapshot.catalogue.institutions.get(institution_id)

    def service_centres(self) -> list[ServiceCentre]:
        return list(self.snapshot.catalogue.service_centres.values())

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
