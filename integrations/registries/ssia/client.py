"""State Social Insurance Agency client: the 2nd pension pillar. Raises `RegistryError`."""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import person_key
from integrations.registries.record import one
from integrations.registries.ssia.models import PensionAccount

SOURCE = "ssia"
PREFIX = "/ssia/v1"


class SsiaClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def pension_second_pillar(self, personal_code: str) -> PensionAccount | None:
        """None: the person is not a participant of the 2nd pillar."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/pension-2nd-pillar"
        return await self.http.get(path, one(PensionAccount))
