"""State Land Service (VZD) with building management: properties a person owns (Kadastrs) and,
for apartment buildings, the manager the owners appointed."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Router, get
from litestar.params import FromPath

from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources._common import collection, person
from integrations.devstack.sandbox.sources.population_register import ADDRESSES, BRIVIBAS_1_5

SOURCE = "land_service"

CENTRS = {
    "name": "Namu serviss Centrs SIA",
    "phone": "+37167001122",
    "email": "birojs@namuserviss-centrs.example",
}


def _property(
    number: str, address: str, kind: str, share: str, manager: dict[str, str] | None
) -> dict[str, Any]:
    return {
        "cadastral_number": number,
        "address": address,
        "kind": kind,
        "share": share,
        "manager": manager,
    }


def properties(who: Persona, today: date) -> list[dict[str, Any]]:
    owned = {
        "anna": [_property("01009012345005", BRIVIBAS_1_5, "apartment", "1/1", CENTRS)],
        "martins": [
            _property("01000301234", ADDRESSES["martins"][0], "house", "1/2", None),
            _property("13000124567", "Jūras iela 5, Jūrmala, LV-2015", "land", "1/1", None),
        ],
        "ilze": [_property("01009045678012", ADDRESSES["ilze"][0], "apartment", "1/2", CENTRS)],
        "valdis": [
            _property("42960040123", ADDRESSES["valdis"][0], "house", "1/1", None),
            _property("42960040124", "Vaives pagasts, Cēsu novads", "land", "1/1", None),
        ],
        "edgars": [_property("96010023456", ADDRESSES["edgars"][0], "house", "1/1", None)],
    }
    return owned.get(who.slug, [])


@get("/persons/{personal_code:str}/properties")
async def get_properties(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, today = person(request, personal_code)
    return collection(properties(who, today) if who else [])


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[get_properties],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
