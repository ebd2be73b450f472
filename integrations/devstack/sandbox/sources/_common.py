"""What every registry module of the sandbox shares: resolving the person and "today", the
"no such record" answer, and the JSON shapes of money and dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from litestar import Request, Response
from litestar.exceptions import ClientException

from backend.lib.identifiers import is_company_number, normalise_personal_code
from integrations.devstack.personas import PERSONAS, Persona
from integrations.devstack.sandbox.state import TODAY_HEADER, state_of

BY_CODE: dict[str, Persona] = {p.personal_code: p for p in PERSONAS if p.personal_code}


def today_of(request: Request[Any, Any, Any]) -> date:
    header = request.headers.get(TODAY_HEADER)
    try:
        return state_of(request).today(header)
    except ValueError:
        raise ClientException(f"{TODAY_HEADER} must be a YYYY-MM-DD date") from None


def person(request: Request[Any, Any, Any], personal_code: str) -> tuple[Persona | None, date]:
    """The persona a personal code belongs to (None: the registry knows nobody by it)."""
    try:
        code = normalise_personal_code(personal_code)
    except ValueError:
        raise ClientException("Not a Latvian personal code") from None
    return BY_CODE.get(code), today_of(request)


def company_number(registration_number: str) -> str:
    if not is_company_number(registration_number):
        raise ClientException("Not a company registration number")
    return registration_number


def not_found() -> Response[Any]:
    """The registry holds no such record: a problem document with code `not_found`."""
    return Response(
        {"status": 404, "code": "not_found", "detail": "The registry holds no such record"},
        status_code=404,
        media_type="application/problem+json",
    )


def record(body: dict[str, Any] | None) -> Response[Any]:
    """A single record, or `not_found` when there is none."""
    return not_found() if body is None else Response(body)


def collection(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": entries}


def money(amount: Decimal | str | int) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def days(today: date, n: int) -> str:
    """`today + n` days as an ISO date (negative n: in the past)."""
    return (today + timedelta(days=n)).isoformat()


def shift_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_from(today: date, years: int, extra_days: int = 0) -> str:
    """`today` moved by whole years, plus `extra_days`, as an ISO date."""
    return (shift_years(today, years) + timedelta(days=extra_days)).isoformat()


def years_before(iso_day: str, years: int) -> str:
    return shift_years(date.fromisoformat(iso_day), -years).isoformat()


def months_elapsed(today: date) -> int:
    """Whole months of this year already behind us (contributions are paid monthly)."""
    return today.month - 1
