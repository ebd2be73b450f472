"""Population Register client: declared address, persons declared at my properties, identity
documents, children. Keyed by personal code; raises `RegistryError` on any failure."""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import person_key
from integrations.registries.population_register.models import (
    Child,
    DeclaredAddress,
    DeclaredPerson,
    IdentityDocument,
)
from integrations.registries.record import items, one

SOURCE = "population_register"
PREFIX = "/population-register/v1"


class PopulationRegisterClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def declared_address(self, personal_code: str) -> DeclaredAddress | None:
        """None: the registry holds no declared address for this person."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/declared-address"
        return await self.http.get(path, one(DeclaredAddress))

    async def declared_at_my_properties(self, personal_code: str) -> list[DeclaredPerson]:
        """Everyone else declared at properties this person owns."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/declared-at-owned-properties"
        return list(await self.http.get(path, items(DeclaredPerson)) or ())

    async def identity_documents(self, personal_code: str) -> list[IdentityDocument]:
        path = f"{PREFIX}/persons/{person_key(personal_code)}/identity-documents"
        return list(await self.http.get(path, items(IdentityDocument)) or ())

    async def children(self, personal_code: str) -> list[Child]:
        path = f"{PREFIX}/persons/{person_key(personal_code)}/children"
        return list(await self.http.get(path, items(Child)) or ())
