"""State Revenue Service (VID): tax account, real-estate tax schedule, annual income
declaration; for companies their VAT and employer status.

Real-estate tax instalments fall on the statutory dates 31 March, 15 May, 15 August and
15 November (a date on a weekend is not moved here: that is the obligations engine's job).
Instalments before "today" are paid — except Mārtiņš's most recent one, which is overdue; his
tax account shows that debt with late interest of 0.05 % a day.
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
ANNUAL_REAL_ESTATE_TAX = {
    "anna": "96.00",
    "martins": "570.00",
    "ilze": "51.20",
    "valdis": "38.40",
    "edgars": "310.00",
}
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


def due_dates(year: int) -> list[date]:
    return [date(year, 3, 31), date(year, 5, 15), date(year, 8, 15), date(year, 11, 15)]


def overdue_instalment(today: date) -> date:
    """Mārtiņš's unpaid instalment: the latest due date before today."""
    return max(d for d in due_dates(today.year - 1) + due_dates(today.year) if d < today)


def real_estate_tax(who: Persona, year: int, today: date) -> dict[str, Any] | None:
    if who.slug not in ANNUAL_REAL_ESTATE_TAX or not today.year - 5 <= year <= today.year:
        return None
    total = Decimal(ANNUAL_REAL_ESTATE_TAX[who.slug])
    unpaid = overdue_instalment(today) if who.slug == "martins" else None
    return {
        "year": year,
        "total": money(total),
        "instalments": [
            {
                "due_date": d.isoformat(),
                "amount": money(total / 4),
                "paid": d < today and d != unpaid,
            }
            for d in due_dates(year)
        ],
    }


def tax_account(who: Persona, today: date) -> dict[str, Any] | None:
    if who.slug not in TAX_ACCOUNT_HOLDERS:
        return None
    balance = Decimal(0)
    if who.slug == "martins":
        instalment = Decimal(ANNUAL_REAL_ESTATE_TAX["martins"]) / 4
        late_days = (today - overdue_instalment(today)).days
        balance = -(instalment + instalment * Decimal("0.0005") * late_days)
    return {"balance": money(balance), "currency": "EUR", "as_of": today.isoformat()}


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


@get("/persons/{personal_code:str}/real-estate-tax/{year:int}")
async def get_real_estate_tax(
    personal_code: FromPath[str], year: FromPath[int], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(real_estate_tax(who, year, today) if who else None)


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
        get_real_estate_tax,
        get_income_declaration,
        get_company_tax_status,
    ],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
