"""Enterprise Register (UR): companies, their officers and how each may represent the company.

`representation`: `sole` — may act alone; `joint` — only together with the other officers
marked `joint` (Baltic Timber's board acts as two: Edgars and Mārtiņš together). A procurator
acts within the procura, here alone.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from integrations.devstack.personas import BALTIC_TIMBER, OZOLS_TECH, persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources import people
from integrations.devstack.sandbox.sources._common import collection, company_number, person, record

SOURCE = "enterprise_register"


def _officer(
    code: str | None, name: str, role: str, representation: str, since: str
) -> dict[str, Any]:
    return {
        "personal_code": code,
        "name": name,
        "role": role,
        "representation": representation,
        "since": since,
    }


MARTINS, EDGARS = persona("martins"), persona("edgars")
COMPANIES: dict[str, dict[str, Any]] = {
    OZOLS_TECH.registration_number: {
        "registration_number": OZOLS_TECH.registration_number,
        "name": OZOLS_TECH.name,
        "legal_form": OZOLS_TECH.legal_form,
        "registered_on": "2015-04-14",
        "address": "Ganību dambis 17A, Rīga, LV-1045",
        "status": "active",
        "financial_year_end": "12-31",
        "size_class": "micro",
        "employees": 6,
        "officers": [
            _officer(MARTINS.personal_code, MARTINS.name, "board_member", "sole", "2015-04-14"),
        ],
    },
    BALTIC_TIMBER.registration_number: {
        "registration_number": BALTIC_TIMBER.registration_number,
        "name": BALTIC_TIMBER.name,
        "legal_form": BALTIC_TIMBER.legal_form,
        "registered_on": "2009-09-01",
        "address": "Rūpniecības iela 11, Valmiera, LV-4201",
        "status": "active",
        "financial_year_end": "12-31",
        "size_class": "medium",
        "employees": 85,
        "officers": [
            _officer(EDGARS.personal_code, EDGARS.name, "chair", "joint", "2009-09-01"),
            _officer(MARTINS.personal_code, MARTINS.name, "board_member", "joint", "2019-03-15"),
            _officer(
                people.RUTA_ZARINA.personal_code,
                people.RUTA_ZARINA.name,
                "procurator",
                "sole",
                "2021-06-01",
            ),
        ],
    },
}


def companies_of(personal_code: str) -> list[dict[str, Any]]:
    return [
        company
        for company in COMPANIES.values()
        if any(officer["personal_code"] == personal_code for officer in company["officers"])
    ]


@get("/companies/{registration_number:str}")
async def get_company(registration_number: FromPath[str]) -> Response[Any]:
    return record(COMPANIES.get(company_number(registration_number)))


@get("/persons/{personal_code:str}/companies")
async def get_companies_for_person(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, _today = person(request, personal_code)
    return collection(companies_of(who.personal_code) if who and who.personal_code else [])


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[get_company, get_companies_for_person],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
