"""National Health Service client: the family doctor. Raises `RegistryError`."""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import person_key
from integrations.registries.nhs.models import FamilyDoctor
from integrations.registries.record import one

SOURCE = "nhs"
PREFIX = "/nhs/v1"


class NhsClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def family_doctor(self, personal_code: str) -> FamilyDoctor | None:
        """None: the person is not registered with a family doctor."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/family-doctor"
        return await self.http.get(path, one(FamilyDoctor))
