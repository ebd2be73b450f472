"""Bodies of the catalogue API, as msgspec structs (Litestar documents them in the OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from backend.catalogue.model import Institution, LifeSituation, Service, ServiceCentre


class ServicesPage(msgspec.Struct):
    items: list[Service]
    next_cursor: str | None
    """Pass as `cursor` for the next page; null on the last page."""


class LifeSituationsPage(msgspec.Struct):
    items: list[LifeSituation]
    next_cursor: str | None


class InstitutionsPage(msgspec.Struct):
    items: list[Institution]
    next_cursor: str | None


class ServiceCentresPage(msgspec.Struct):
    items: list[ServiceCentre]
    next_cursor: str | None


class SearchHit(msgspec.Struct):
    id: str
    kind: Literal["service", "life_situation"]
    title: str
    url: str
    """The entry's public page on the portal (absolute)."""
    snippet: str
    score: float


class SearchAnswer(msgspec.Struct):
    results: list[SearchHit]


class VersionOut(msgspec.Struct):
    """One version of an entry in its change history."""

    id: str
    version: int
    status: Literal["draft", "published"]
    author: str
    created_at: datetime
    published_at: datetime | None


class History(msgspec.Struct):
    id: str
    versions: list[VersionOut]
    """Newest first."""


class DraftOut(msgspec.Struct):
    """A saved version of a service and where to preview it before it is public."""

    id: str
    version: int
    status: Literal["draft", "published"]
    author: str
    created_at: datetime
    published_at: datetime | None
    preview_url: str
    """A page showing this version as the portal will; works without a token, for a day."""
    content: Service
