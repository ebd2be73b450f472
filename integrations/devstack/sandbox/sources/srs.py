"""State Revenue Service (VID): tax account, annual income declaration; for companies their
VAT and employer status.

Real-estate tax is not here: municipalities assess and collect it and it is not part of VID's
unified tax account (Law on Real Estate Tax), so the sandbox plays it as its own source
(`sources/municipalities.py`). Everyone's tax account is therefore settled; Mārtiņš's overdue
real-estate tax instalment is a debt to Rīga, not to VID.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources._common import (
    company_number,
    money,
    person,
    record,
    today_of,
)

SOURCE = "srs"
# slug: (status, payable, refundable) for last year's declaration
DECLARATIONS: dict[str, tuple[str, str | None, str | None]] = {
    "anna": ("accepted", None, "156.30"),
    "martins": ("filed", "820.00", None),  # over €640: may be paid in three parts
    "ilze": ("accepted", None, "212.40"),
    "laura": ("not_filed", None, None),
    "valdis": ("accepted", None, "85.00"),
    "edgars": ("filed", "64.10", None),
}
TAX_ACCOUNT_HOLDERS = ("anna", "martins", "ilze", "kristaps", "laura", "valdis", "edgars")
COMPANIES = {
    "40003123459": (True, "quarterly", True, "0.00"),
    "40103987651": (True, "monthly", True, "-3120.55"),
}


def tax_account(who: Persona, today: date) -> dict[str, Any] | None:
    if who.slug not in TAX_ACCOUNT_HOLDERS:
        return None
    return {"balance": money(Decimal(0)), "currency": "EUR", "as_of": today.isoformat()}


def income_declaration(who: Persona, year: int, today: date) -> dict[str, Any] | None:
    if who.slug not in DECLARATIONS or year >= today.year:
        return None
    status, payable, refundable = DECLARATIONS[who.slug]
    if year < today.year - 1:
        status, payable, refundable = "accepted", None, None
    return {
        "year": year,
        "status": status,
        "amount_payable": payable,
        "amount_refundable": refundable,
    }


@get("/persons/{personal_code:str}/tax-account")
async def get_tax_account(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(tax_account(who, today) if who else None)


@get("/persons/{personal_code:str}/income-declarations/{year:int}")
async def get_income_declaration(
    personal_code: FromPath[str], year: FromPath[int], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(income_declaration(who, year, today) if who else None)


@get("/companies/{registration_number:str}/tax-status")
async def get_company_tax_status(
    registration_number: FromPath[str], request: Request[Any, Any, Any]
) -> Response[Any]:
    number = company_number(registration_number)
    if number not in COMPANIES:
        return record(None)
    vat_payer, period, employer, balance = COMPANIES[number]
    return record(
        {
            "registration_number": number,
            "vat_payer": vat_payer,
            "vat_number": f"LV{number}" if vat_payer else None,
            "vat_period": period if vat_payer else None,
            "employer": employer,
            "tax_account_balance": balance,
            "as_of": today_of(request).isoformat(),
        }
    )


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[
        get_tax_account,
        get_income_declaration,
        get_company_tax_status,
    ],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
