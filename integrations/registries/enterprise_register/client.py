"""Enterprise Register client: companies and their officers. Raises `RegistryError`."""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import company_key, person_key
from integrations.registries.enterprise_register.models import CompanyRecord
from integrations.registries.record import items, one

SOURCE = "enterprise_register"
PREFIX = "/enterprise-register/v1"


class EnterpriseRegisterClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def companies_for_person(self, personal_code: str) -> list[CompanyRecord]:
        """Companies where the person is an officer (board member, chair or procurator)."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/companies"
        return list(await self.http.get(path, items(CompanyRecord)) or ())

    async def company(self, registration_number: str) -> CompanyRecord | None:
        """None: no company is registered under that number."""
        path = f"{PREFIX}/companies/{company_key(registration_number)}"
        return await self.http.get(path, one(CompanyRecord))
