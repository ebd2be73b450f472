"""State Social Insurance Agency (VSAA): the 2nd pension pillar account.

Valdis (born 1955) and Kristaps (not yet employed) are not participants: 404 `not_found`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources._common import iso, money, months_elapsed, person, record

SOURCE = "ssia"

# slug: (balance, fund manager, investment plan, monthly contribution, last fund change)
ACCOUNTS: dict[str, tuple[str, str, str, str, date | None]] = {
    "anna": (
        "18452.37",
        "Swedbank Investment Management",
        "Swedbank pensiju ieguldījumu plāns 1980+",
        "138.60",
        date(2021, 3, 15),
    ),
    "martins": ("31210.88", "SEB Investment Management", "SEB aktīvais plāns", "220.80", None),
    "ilze": (
        "46890.12",
        "Luminor Asset Management",
        "Luminor Konservatīvais ieguldījumu plāns",
        "165.00",
        None,
    ),
    "laura": (
        "7420.55",
        "Citadele Asset Management",
        "Citadele Universal",
        "31.70",
        date(2019, 5, 2),
    ),
    "edgars": ("38700.00", "INVL Asset Management", "INVL Komforts 53+", "241.50", None),
}


def pension_second_pillar(who: Persona, today: date) -> dict[str, Any] | None:
    if who.slug not in ACCOUNTS:
        return None
    balance, manager, plan, monthly, changed = ACCOUNTS[who.slug]
    if who.slug == "martins":
        # Changed manager this January: no further change allowed this calendar year.
        changed = date(today.year, 1, 20) if today >= date(today.year, 1, 20) else None
    growth = Decimal(monthly) * months_elapsed(today)
    return {
        "balance": money(Decimal(balance) + growth),
        "currency": "EUR",
        "fund_manager": manager,
        "investment_plan": plan,
        "contributions_this_year": money(growth),
        "valuation_date": iso(today - timedelta(days=1)),
        "last_fund_change_date": iso(changed),
    }


@get("/persons/{personal_code:str}/pension-2nd-pillar")
async def get_pension(
    personal_code: FromPath[str], request: Request[Any, Any, Any]
) -> Response[Any]:
    who, today = person(request, personal_code)
    return record(pension_second_pillar(who, today) if who else None)


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[get_pension],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
