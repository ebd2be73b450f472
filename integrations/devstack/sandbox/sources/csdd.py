"""Road Traffic Safety Directorate (CSDD): vehicles owned and the driving licence."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources._common import (
    collection,
    days,
    person,
    record,
    years_before,
    years_from,
)

SOURCE = "csdd"


def vehicles(who: Persona, today: date) -> list[dict[str, Any]]:
    def car(
        plate: str, make: str, model: str, year: int, *, inspection: int, insurance: int | None
    ) -> dict[str, Any]:
        return {
            "plate": plate,
            "make": make,
            "model": model,
            "first_registered_year": year,
            "technical_inspection_due": days(today, inspection),
            "insurance_valid_until": None if insurance is None else days(today, insurance),
        }

    fleet = {
        "anna": [
            car("KA-1234", "Toyota", "Yaris", 2017, inspection=12, insurance=150)
        ],  # inspection due soon
        "martins": [
            car("MO-2020", "Volkswagen", "Passat", 2020, inspection=200, insurance=6)
        ],  # insurance ends soon
        "laura": [
            car("JL-5521", "Škoda", "Octavia", 2012, inspection=-10, insurance=90)
        ],  # inspection overdue
        "valdis": [
            car("CV-777", "Opel", "Astra", 2006, inspection=100, insurance=None)
        ],  # no valid insurance
        "edgars": [car("VA-4401", "Volvo", "XC60", 2022, inspection=400, insurance=220)],
    }
    return fleet.get(who.slug, [])


def driving_licence(who: Persona, today: date) -> dict[str, Any] | None:
    licences = {
        "anna": ("LA123456", ["B"], years_from(today, 5, 20), 15),
        "martins": ("LA220784", ["B", "BE", "C"], years_from(today, 3, 70), 15),
        "ilze": ("LA051209", ["B"], years_from(today, 8, 2), 15),
        "laura": ("LA330915", ["B"], years_from(today, 7, 11), 15),
        # Runs out in six weeks; renewal at his age needs a medical certificate.
        "valdis": ("LA004417", ["B"], days(today, 45), 10),
        "edgars": ("LA198803", ["B", "C", "CE"], years_from(today, 2, 5), 15),
        # A moped licence from 16; B becomes possible at 18.
        "kristaps": ("LA700021", ["AM"], years_from(today, 8, 30), 10),
    }
    if who.slug not in licences:
        return None
    number, categories, valid_until, years = licences[who.slug]
    return {
        "number": number,
        "categories": categories,
        "issued_on": years_before(valid_until, years),
        "valid_until": valid_until,
    }


@get("/persons/{personal_code:str}/vehicles")
async def get_vehicles(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, today = person(request, personal_code)
    return collection(vehicles(who, today) if who else [])


@get("/persons/{personal_code:str}/driving-licence")
async def get_driving_licence(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(driving_licence(who, today) if who else None)


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[get_vehicles, get_driving_licence],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
