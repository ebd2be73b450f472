"""Institution API fixtures: the catalogue in the database (it names each service's
responsible institution), API clients linked to a catalogue institution with real tokens from
the token endpoint, and applications submitted through the person's own service function."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from backend.applications import service as applications
from backend.applications.forms import load_forms
from backend.applications.service import ApplicationRecord, personal_form
from backend.catalogue.files import load_content
from backend.catalogue.publishers import link_publisher
from backend.catalogue.store import load_catalogue
from backend.eaddress.institution_api.institutions import register_institution
from backend.services import Services
from tests.integration.eaddress.conftest import fetch_token, unique_number

API = "/api/applications/v1"
BOTH = ("applications:read", "applications:write")
RESIDENCE = {"new_address": "Elizabetes iela 2, Rīga", "moved_on": "2026-11-20", "basis": "tenancy"}


@dataclass
class Client:
    institution: str
    http: httpx.AsyncClient
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def list(self, **params: Any) -> httpx.Response:
        return await self.http.get(f"{API}/applications", params=params, headers=self.auth)

    async def get(self, app_id: uuid.UUID | str) -> httpx.Response:
        return await self.http.get(f"{API}/applications/{app_id}", headers=self.auth)

    async def step(
        self, app_id: uuid.UUID | str, body: dict[str, Any], *, key: str | None = None
    ) -> httpx.Response:
        headers = {**self.auth, "Idempotency-Key": key or str(uuid.uuid4())}
        return await self.http.post(
            f"{API}/applications/{app_id}/transitions", json=body, headers=headers
        )


@pytest.fixture
async def published(services: Services) -> Services:
    """The catalogue (whose services name their responsible institutions) in the database."""
    await load_catalogue(load_content(), engine=services.engine)
    services.catalogue.invalidate()
    await services.catalogue.ensure_current()
    return services


async def client_for(
    http: httpx.AsyncClient, institution: str | None, scopes: tuple[str, ...] = BOTH
) -> Client:
    made = await register_institution("Iestāde", unique_number("9"), scopes)
    if institution:
        await link_publisher(made.client_id, institution)
    return Client(institution or "", http, await fetch_token(http, made))


@pytest.fixture
async def pmlp(published: Services, http: httpx.AsyncClient) -> Client:
    return await client_for(http, "pmlp")


@pytest.fixture
async def vsaa(published: Services, http: httpx.AsyncClient) -> Client:
    return await client_for(http, "vsaa")


async def declare(
    subject_key: str, person_id: uuid.UUID, *, submit: bool = True
) -> ApplicationRecord:
    """A residence declaration (PMLP's service) as the person's own submit makes it."""
    form = load_forms()["declare-residence"]
    return await applications.save(
        subject_key, person_id, personal_form(form, None), RESIDENCE, uuid.uuid4().hex,
        submit=submit, today=date(2026, 12, 5),
    )  # fmt: skip
