"""State Land Service client: properties owned, with their managers. Raises `RegistryError`."""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import person_key
from integrations.registries.land_service.models import Property
from integrations.registries.record import items

SOURCE = "land_service"
PREFIX = "/land-service/v1"


class LandServiceClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def properties(self, personal_code: str) -> list[Property]:
        path = f"{PREFIX}/persons/{person_key(personal_code)}/properties"
        return list(await self.http.get(path, items(Property)) or ())
