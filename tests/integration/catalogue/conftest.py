"""Catalogue fixtures: the reviewed files loaded into the database, publishers (API clients
linked to a catalogue institution) with real tokens from the token endpoint, and service
bodies with unique ids built from a real service of the publisher's institution."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec
import pytest

from backend.catalogue.files import load_content
from backend.catalogue.publishers import link_publisher
from backend.catalogue.store import load_catalogue
from backend.eaddress.institution_api.institutions import NewInstitution, register_institution
from backend.services import Services
from tests.integration.eaddress.conftest import fetch_token, unique_number

API = "/api/catalogue/v1"


@pytest.fixture
async def loaded(services: Services) -> Services:
    """The reviewed files in the database (idempotent: later tests reload nothing)."""
    await load_catalogue(load_content(), engine=services.engine)
    services.catalogue.invalidate()
    await services.catalogue.ensure_current()
    return services


@dataclass
class Publisher:
    institution: str
    client: NewInstitution
    http: httpx.AsyncClient
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def draft(
        self, body: dict[str, Any], *, key: str | None = None, service_id: str | None = None
    ) -> httpx.Response:
        headers = {**self.auth, "Idempotency-Key": key or str(uuid.uuid4())}
        return await self.http.post(
            f"{API}/services/{service_id or body['id']}/drafts", json=body, headers=headers
        )

    async def publish(
        self, service_id: str, version: int, *, key: str | None = None
    ) -> httpx.Response:
        headers = {**self.auth, "Idempotency-Key": key or str(uuid.uuid4())}
        return await self.http.post(
            f"{API}/services/{service_id}/versions/{version}/publish", headers=headers
        )


async def make_publisher(
    http: httpx.AsyncClient,
    institution: str,
    *,
    scopes: tuple[str, ...] = ("catalogue:write",),
    link: bool = True,
) -> Publisher:
    client = await register_institution("Pilsonības un migrācijas lietu pārvalde",
                                        unique_number("9"), scopes)  # fmt: skip
    if link:
        await link_publisher(client.client_id, institution)
    return Publisher(institution, client, http, await fetch_token(http, client))


@pytest.fixture
async def pmlp(loaded: Services, http: httpx.AsyncClient) -> Publisher:
    return await make_publisher(http, "pmlp")


@pytest.fixture
async def vid(loaded: Services, http: httpx.AsyncClient) -> Publisher:
    return await make_publisher(http, "vid")


def new_service(institution: str, **changes: Any) -> dict[str, Any]:
    """A valid service of `institution` with a fresh id and slug (a copy of one of its own)."""
    catalogue = load_content()
    model = next(s for s in catalogue.services.values() if s.institution == institution)
    body: dict[str, Any] = msgspec.to_builtins(model)
    unique = f"test-{uuid.uuid4().hex[:10]}"
    body |= {"id": unique, "slug": unique}
    body["title"] = {
        "lv": f"Pārbaudes pakalpojums {unique}",
        "en": f"Test service {unique}",
        "ru": f"Тестовая услуга {unique}",
    }
    body.update(changes)
    return body
