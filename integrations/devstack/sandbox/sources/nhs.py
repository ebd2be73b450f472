"""National Health Service (NVD): the family doctor a person is registered with."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources._common import iso, person, record

SOURCE = "nhs"

KALEJA = (
    "Inga Kalēja",
    "Ģimenes ārsta prakse Kalēja",
    "Ģertrūdes iela 33, Rīga, LV-1011",
    "+37167123456",
)
DOCTORS: dict[str, tuple[tuple[str, str, str, str], date | None]] = {
    "anna": (KALEJA, date(2016, 9, 12)),
    "ilze": (KALEJA, date(1999, 1, 10)),
    "martins": (
        (
            "Aivars Zvaigzne",
            "Zvaigznes ģimenes ārsta prakse",
            "Kalnciema iela 12, Rīga, LV-1046",
            "+37167654321",
        ),
        date(2012, 6, 1),
    ),
    # A children's doctor since birth; at 18 he may stay or choose another.
    "kristaps": (
        (
            "Baiba Auziņa",
            "Bērnu ārsta prakse Auziņa",
            "Lāčplēša iela 40, Rīga, LV-1011",
            "+37167281234",
        ),
        None,
    ),
    "laura": (
        (
            "Dace Ozoliņa",
            "Jelgavas ģimenes ārstu centrs",
            "Katoļu iela 2, Jelgava, LV-3001",
            "+37163012345",
        ),
        date(2020, 7, 1),
    ),
    "valdis": (
        (
            "Pēteris Siliņš",
            "Cēsu ģimenes ārstu prakse",
            "Valmieras iela 10, Cēsis, LV-4101",
            "+37164123456",
        ),
        date(1995, 5, 15),
    ),
    "edgars": (
        (
            "Ilona Puriņa",
            "Valmieras veselības centrs",
            "Bastiona iela 24, Valmiera, LV-4201",
            "+37164212345",
        ),
        date(2005, 3, 1),
    ),
}


def family_doctor(who: Persona, today: date) -> dict[str, Any] | None:
    if who.slug not in DOCTORS:
        return None
    (name, practice, address, phone), since = DOCTORS[who.slug]
    born = who.born_on(today)
    if since is None and born is not None:
        since = born + timedelta(days=30)
    return {
        "doctor_name": name,
        "practice_name": practice,
        "address": address,
        "phone": phone,
        "registered_since": iso(since),
    }


@get("/persons/{personal_code:str}/family-doctor")
async def get_family_doctor(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(family_doctor(who, today) if who else None)


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[get_family_doctor],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
