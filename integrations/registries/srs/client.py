"""State Revenue Service client: tax account, income declaration, company tax status. Raises
`RegistryError`. (Real-estate tax is the municipalities': see `registries/municipalities`.)"""

from __future__ import annotations

from integrations.registries._http import SourceHttp
from integrations.registries._keys import company_key, person_key
from integrations.registries.record import one
from integrations.registries.srs.models import (
    CompanyTaxStatus,
    IncomeDeclaration,
    TaxAccount,
)

SOURCE = "srs"
PREFIX = "/srs/v1"


class SrsClient:
    source = SOURCE

    def __init__(self, http: SourceHttp) -> None:
        self.http = http

    async def tax_account(self, personal_code: str) -> TaxAccount | None:
        path = f"{PREFIX}/persons/{person_key(personal_code)}/tax-account"
        return await self.http.get(path, one(TaxAccount))

    async def income_declaration(self, personal_code: str, year: int) -> IncomeDeclaration | None:
        """The annual income declaration for `year` (usually last year); None: none expected."""
        path = f"{PREFIX}/persons/{person_key(personal_code)}/income-declarations/{int(year)}"
        return await self.http.get(path, one(IncomeDeclaration))

    async def company_tax_status(self, registration_number: str) -> CompanyTaxStatus | None:
        path = f"{PREFIX}/companies/{company_key(registration_number)}/tax-status"
        return await self.http.get(path, one(CompanyTaxStatus))
