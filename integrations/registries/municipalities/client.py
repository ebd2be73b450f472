"""Municipalities' client: real-estate tax payment notices. Raises `RegistryError`.

Real-estate tax is assessed and collected by the municipality where the property is, not by
the State Revenue Service (Law on Real Estate Tax); one answer gathers the notices of every
municipality the person owns property in.
"""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import person_key
from integrations.registries.municipalities.models import RealEstateTaxNotice
from integrations.registries.record import items

SOURCE = "municipalities"
PREFIX = "/municipalities/v1"


class MunicipalitiesClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def real_estate_tax(self, personal_code: str, year: int) -> list[RealEstateTaxNotice]:
        """This year's payment notices (`[]`: none sent, or no property)."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/real-estate-tax/{int(year)}"
        return list(await self.http.get(path, items(RealEstateTaxNotice)) or ())
