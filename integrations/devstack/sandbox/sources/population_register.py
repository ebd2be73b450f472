"""Population Register (PMLP): declared address, persons declared at properties I own, identity
documents, children."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from backend.lib.identifiers import normalise_personal_code
from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources import people
from integrations.devstack.sandbox.sources._common import (
    collection,
    days,
    iso,
    person,
    record,
    years_before,
    years_from,
)
from integrations.devstack.sandbox.state import state_of

SOURCE = "population_register"
BRIVIBAS_1_5 = "Brīvības iela 1-5, Rīga, LV-1010"

ADDRESSES: dict[str, tuple[str, date | None]] = {
    # slug: (address, declared since; None: since birth)
    "anna": (BRIVIBAS_1_5, date(2016, 8, 1)),
    "martins": ("Kalnciema iela 30, Rīga, LV-1046", date(2012, 5, 10)),
    "ilze": ("Ausekļa iela 3-12, Rīga, LV-1010", date(1998, 3, 2)),
    "kristaps": ("Lāčplēša iela 44-7, Rīga, LV-1011", None),
    "laura": ("Skolas iela 8-3, Jelgava, LV-3001", date(2020, 6, 15)),
    "valdis": ("Mājas “Ozoliņi”, Vaives pagasts, Cēsu novads, LV-4150", date(2001, 4, 12)),
    "edgars": ("Rīgas iela 15, Valmiera, LV-4201", date(2005, 2, 1)),
}


def declared_address(who: Persona, today: date) -> dict[str, Any] | None:
    if who.slug not in ADDRESSES:
        return None
    address, since = ADDRESSES[who.slug]
    return {"address": address, "declared_since": iso(since or who.born_on(today))}


def declared_at_my_properties(who: Persona, today: date) -> list[dict[str, Any]]:
    """Everyone declared at a property the person owns, except the person."""

    def entry(address: str, someone: people.Someone, on: str, basis: str) -> dict[str, Any]:
        return {
            "property_address": address,
            "name": someone.name,
            "personal_code": someone.personal_code,
            "declared_on": on,
            "legal_basis": basis,
        }

    if who.slug == "anna":
        return [
            entry(BRIVIBAS_1_5, people.JANIS_BERZINS, "2019-09-01", "kinship"),
            # Declared recently, so "a person was declared at my property" stays news.
            entry(BRIVIBAS_1_5, people.OLGA_PETROVA, days(today, -9), "lease"),
        ]
    if who.slug == "martins":
        return [entry(ADDRESSES["martins"][0], people.INESE_OZOLA, "2012-05-10", "marriage")]
    if who.slug == "valdis":
        return [entry(ADDRESSES["valdis"][0], people.RASMA_KRUMINA, "2001-04-12", "marriage")]
    return []


def _document(kind: str, number: str, valid_until: str, years: int) -> dict[str, Any]:
    return {
        "type": kind,
        "number": number,
        "issued_on": years_before(valid_until, years),
        "valid_until": valid_until,
        "issuer": "PMLP",
    }


def identity_documents(who: Persona, today: date) -> list[dict[str, Any]]:
    documents = {
        # Anna's passport runs out within three months.
        "anna": [
            _document("passport", "LV4120573", days(today, 75), 10),
            _document("eid_card", "PA0938412", years_from(today, 3, 41), 10),
        ],
        "martins": [
            _document("passport", "LV3307714", years_from(today, 4, 12), 10),
            _document("eid_card", "PA1120458", years_from(today, 2, 95), 10),
        ],
        # Ilze's passport expired; her eID card keeps her legal.
        "ilze": [
            _document("eid_card", "PA0577126", years_from(today, 6, 3), 10),
            _document("passport", "LV2231987", days(today, -40), 10),
        ],
        # Issued at 13 for five years: runs out shortly after he turns 18.
        "kristaps": [_document("passport", "LV5540218", days(today, 40), 5)],
        "laura": [_document("eid_card", "PA1502266", years_from(today, 5, 60), 10)],
        "valdis": [_document("eid_card", "PA0300875", days(today, 200), 10)],
        # Edgars's eID card ran out 12 days ago; his passport (issued after 30 April 2023)
        # does not replace it, so he must apply for an eID card within 30 days.
        "edgars": [
            _document("passport", "LV2900413", years_from(today, 7, 18), 10),
            _document("eid_card", "PA0411537", days(today, -12), 10),
        ],
    }
    return documents.get(who.slug, [])


def children(who: Persona, today: date) -> list[dict[str, Any]]:
    def child(someone: people.Someone) -> dict[str, Any]:
        return {
            "name": someone.name,
            "personal_code": someone.personal_code,
            "birth_date": iso(someone.birth_date),
        }

    if who.slug == "laura":
        newborn = {
            "name": "Emīls Kalniņš",
            "personal_code": people.EMILS_KALNINS_CODE,
            "birth_date": (today - timedelta(days=21)).isoformat(),
        }
        return [newborn, child(people.ROBERTS_KALNINS), child(people.MARTA_KALNINA)]
    if who.slug == "martins":
        return [child(people.LIVA_OZOLA), child(people.PAULS_OZOLS)]
    if who.slug == "valdis":
        return [child(people.ANDRIS_KRUMINS)]
    return []


@get("/persons/{personal_code:str}/declared-address")
async def get_declared_address(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(declared_address(who, today) if who else None)


@get("/persons/{personal_code:str}/declared-at-owned-properties")
async def get_declared_at_properties(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, today = person(request, personal_code)
    extra = state_of(request).declared.get(normalise_personal_code(personal_code), [])
    return collection([*(declared_at_my_properties(who, today) if who else []), *extra])


@get("/persons/{personal_code:str}/identity-documents")
async def get_identity_documents(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, today = person(request, personal_code)
    return collection(identity_documents(who, today) if who else [])


@get("/persons/{personal_code:str}/children")
async def get_children(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, today = person(request, personal_code)
    return collection(children(who, today) if who else [])


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[
        get_declared_address,
        get_declared_at_properties,
        get_identity_documents,
        get_children,
    ],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
