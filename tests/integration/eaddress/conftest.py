"""E-address fixtures: institutions with real credentials, people and companies with
e-addresses, and helpers that talk to the API over real HTTP with real tokens."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from backend.auth.tables import Person
from backend.eaddress.institution_api.institutions import NewInstitution, register_institution
from backend.eaddress.mailbox.access import Reader
from backend.eaddress.mailbox.accounts import activate_person, ensure_company_account
from backend.lib.identifiers import make_personal_code
from backend.services import Services

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
GIF = b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00;" + b"\x00" * 20


def unique_number(prefix: str = "9") -> str:
    return prefix + "".join(random.choices("0123456789", k=10))


@dataclass(frozen=True)
class Holder:
    person_id: uuid.UUID
    personal_code: str

    @property
    def reader(self) -> Reader:
        return Reader.own(self.person_id)

    @property
    def recipient(self) -> dict[str, str]:
        return {"type": "personal_code", "id": self.personal_code}


async def make_person(*, activate: bool = True, born: date | None = None) -> Holder:
    """A person with a fresh valid personal code (and an active e-address unless told not)."""
    for _ in range(20):
        birth = born or date(
            random.randint(1950, 2005), random.randint(1, 12), random.randint(1, 28)
        )
        code = make_personal_code(birth, random.randint(0, 979))
        if not await Person.exists().where(Person.personal_code == code).run():
            break
    person_id = uuid.uuid4()
    await Person.insert(
        Person(
            id=person_id,
            person_key=f"test {person_id}",
            personal_code=code,
            given_name="Līga",
            family_name="Ozoliņa",
        )
    ).run()
    if activate:
        await activate_person(person_id)
    return Holder(person_id, code)


async def make_company() -> str:
    number = unique_number("4")
    await ensure_company_account(number)
    return number


async def make_institution(
    scopes: tuple[str, ...] = ("eaddress.send", "eaddress.read"),
) -> NewInstitution:
    return await register_institution("Valsts ieņēmumu dienests", unique_number("9"), scopes)


async def fetch_token(
    http: httpx.AsyncClient, inst: NewInstitution, scope: str | None = None, *, post: bool = False
) -> str:
    form = {"grant_type": "client_credentials"}
    if scope:
        form["scope"] = scope
    if post:
        form |= {"client_id": inst.client_id, "client_secret": inst.client_secret}
        response = await http.post("/oauth/token", data=form)
    else:
        response = await http.post(
            "/oauth/token", data=form, auth=(inst.client_id, inst.client_secret)
        )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def message_json(recipient: dict[str, str], **overrides: Any) -> dict[str, Any]:
    return {
        "recipient": recipient,
        "subject": "Paziņojums par nekustamā īpašuma nodokli",
        "body": "Labdien! Nodokļa maksājuma termiņš ir 31. marts.",
        **overrides,
    }


class Api:
    """An institution's view of the API: one token, real HTTP."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http, self.token = http, token

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def send(
        self, body: dict[str, Any], *, key: str | None = None, files: Any = None
    ) -> httpx.Response:
        headers = {**self.auth, "Idempotency-Key": key or str(uuid.uuid4())}
        if files is None:
            return await self.http.post("/api/eaddress/v1/messages", json=body, headers=headers)
        parts = [("message", (None, json.dumps(body), "application/json")), *files]
        return await self.http.post("/api/eaddress/v1/messages", files=parts, headers=headers)

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.http.get(f"/api/eaddress/v1{path}", headers=self.auth, params=params)


@pytest.fixture
async def institution(services: Services) -> NewInstitution:
    return await make_institution()


@pytest.fixture
async def api(http: httpx.AsyncClient, institution: NewInstitution) -> Api:
    return Api(http, await fetch_token(http, institution))


@pytest.fixture
async def holder(services: Services) -> Holder:
    return await make_person()


@pytest.fixture
async def second_http(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield client
