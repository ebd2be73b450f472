"""Road Traffic Safety Directorate client: vehicles and driving licence. Raises `RegistryError`."""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import person_key
from integrations.registries.csdd.models import DrivingLicence, Vehicle
from integrations.registries.record import items, one

SOURCE = "csdd"
PREFIX = "/csdd/v1"


class CsddClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def vehicles(self, personal_code: str) -> list[Vehicle]:
        """Vehicles registered to the person as owner."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/vehicles"
        return list(await self.http.get(path, items(Vehicle)) or ())

    async def driving_licence(self, personal_code: str) -> DrivingLicence | None:
        """None: the person holds no Latvian driving licence."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/driving-licence"
        return await self.http.get(path, one(DrivingLicence))
