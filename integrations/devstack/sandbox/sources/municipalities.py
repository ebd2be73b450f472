"""Municipalities (pašvaldības): real-estate tax payment notices.

Real-estate tax is assessed, billed and collected by the municipality where the property is,
not by the State Revenue Service, and it is not part of VID's unified tax account. Legal
basis: Law on Real Estate Tax ("Par nekustamā īpašuma nodokli"): the municipality sends the
payment notice by 15 February; the tax is paid in four instalments by 31 March, 15 May,
15 August and 15 November (or all by 31 March); late interest of 0.05 % a day under the law
"On Taxes and Fees" (`backend/lib/late_interest.py`, shared with the obligation rule so that
both state the same figure).

One notice per municipality the person owns property in (Mārtiņš: Rīga and Jūrmala), sent on
`NOTICE_DAY` of the year; before that day this year's notices do not exist yet. Instalments
before "today" are paid — except Mārtiņš's latest one in Rīga, which is overdue and carries
late interest as of today.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, Router, get
from litestar.params import FromPath

from backend.lib.late_interest import interest_on
from integrations.devstack.personas import Persona
from integrations.devstack.sandbox.oauth import bearer_guard
from integrations.devstack.sandbox.settings import PREFIXES
from integrations.devstack.sandbox.sources._common import collection, iso, money, person

SOURCE = "municipalities"
RIGA = "Rīgas valstspilsētas pašvaldība"
JURMALA = "Jūrmalas valstspilsētas pašvaldība"
CESIS = "Cēsu novada pašvaldība"
VALMIERA = "Valmieras novada pašvaldība"
# slug: [(municipality, annual tax)] — one notice each (the properties of the Land Service).
ASSESSMENTS: dict[str, list[tuple[str, str]]] = {
    "anna": [(RIGA, "96.00")],
    "martins": [(RIGA, "420.00"), (JURMALA, "150.00")],
    "ilze": [(RIGA, "51.20")],
    "valdis": [(CESIS, "38.40")],
    "edgars": [(VALMIERA, "310.00")],
}
NOTICE_MONTH_DAY = (2, 6)
"""Notices go out in early February (the law's latest day is 15 February)."""


def due_dates(year: int) -> list[date]:
    return [date(year, 3, 31), date(year, 5, 15), date(year, 8, 15), date(year, 11, 15)]


def notice_day(year: int) -> date:
    return date(year, *NOTICE_MONTH_DAY)


def overdue_instalment(today: date) -> date | None:
    """Mārtiņš's unpaid instalment in Rīga: this year's latest due date before today."""
    passed = [d for d in due_dates(today.year) if d < today]
    return max(passed) if passed else None


def notices(who: Persona, year: int, today: date) -> list[dict[str, Any]]:
    if not today.year - 5 <= year <= today.year or today < notice_day(year):
        return []
    found = []
    for index, (municipality, annual) in enumerate(ASSESSMENTS.get(who.slug, []), start=1):
        total = Decimal(annual)
        part = total / 4
        unpaid = (
            overdue_instalment(today) if (who.slug, municipality) == ("martins", RIGA) else None
        )
        instalments = []
        for d in due_dates(year):
            paid = d < today and d != unpaid
            instalments.append(
                {
                    "due_date": d.isoformat(),
                    "amount": money(part),
                    "paid": paid,
                    # What the municipality's books say is owed on top, as of today.
                    "late_interest": (
                        None if paid or d >= today else money(interest_on(part, d, today))
                    ),
                }
            )
        found.append(
            {
                "municipality": municipality,
                "notice_number": f"NIN-{year}/{4100 + list(ASSESSMENTS).index(who.slug)}-{index}",
                "issued_on": iso(notice_day(year)),
                "year": year,
                "total": money(total),
                "instalments": instalments,
                "as_of": today.isoformat(),
            }
        )
    return found


@get("/persons/{personal_code:str}/real-estate-tax/{year:int}")
async def get_real_estate_tax(
    personal_code: FromPath[str], year: FromPath[int], request: Request[Any, Any, Any]
) -> dict[str, Any]:
    who, today = person(request, personal_code)
    return collection(notices(who, year, today) if who else [])


router = Router(
    path=PREFIXES[SOURCE],
    route_handlers=[get_real_estate_tax],
    guards=[bearer_guard],
    opt={"source": SOURCE},
)
