"""Hand-made registry facts for the pure, table-driven rule tests (and only for them)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from msgspec import structs

from backend.dashboard.facts import CompanyFacts, Fact, PersonFacts, SourceStatus
from backend.lib.texts import Money, Param, ReportingPeriod, Text, render_in
from backend.obligations.rules.base import CompanyContext, PersonContext
from integrations.registries.enterprise_register.models import CompanyRecord
from integrations.registries.srs.models import CompanyTaxStatus

OK = SourceStatus.OK
SUBJECT = "person:00000000-0000-4000-8000-00000000000a"
COMPANY = "company:40003123459"


def plain(text: Text | str) -> str:
    """What a rule says: its English msgid with the parameters filled in plainly (dates as
    dd.mm.yyyy, amounts as €1.23), before any language's formatting (tested on its own)."""
    if isinstance(text, str):
        return text
    # "{period:for}" names the form a language's translation needs; plainly it is "{period}".
    msgid = re.sub(r"\{(\w+):\w+\}", r"{\1}", text.msgid)
    return msgid.format(**{name: _plain(value) for name, value in text.params})


def _plain(value: Param) -> str:
    if isinstance(value, Text):
        return plain(value)
    if isinstance(value, Money):
        return f"€{value.amount}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, ReportingPeriod):
        return render_in(Text("{p}", p=value), "en")  # "November 2026", "Q4 2026"
    return str(value)


def ok(value: Any) -> Fact[Any]:
    return Fact(value, OK)


def down() -> Fact[Any]:
    return Fact(None, SourceStatus.UNAVAILABLE)


def person(**overrides: Any) -> PersonFacts:
    """A person the registries know nothing about (every source answered), plus overrides."""
    base = PersonFacts(
        personal_code="150385-11028",
        birth_date=date(1985, 3, 15),
        declared_address=ok(None),
        declared_at_my_properties=ok([]),
        identity_documents=ok([]),
        children=ok([]),
        pension=ok(None),
        family_doctor=ok(None),
        vehicles=ok([]),
        driving_licence=ok(None),
        properties=ok([]),
        tax_account=ok(None),
        real_estate_tax=ok([]),
        income_declaration=ok(None),
    )
    return replace(base, **overrides)


def person_ctx(today: date, **overrides: Any) -> PersonContext:
    moved_on = overrides.pop("moved_on", None)
    return PersonContext(SUBJECT, person(**overrides), today, moved_on=moved_on)


def company_record(**overrides: Any) -> CompanyRecord:
    base = CompanyRecord(
        registration_number="40003123459",
        name="Ozols Tech",
        legal_form="SIA",
        registered_on=date(2015, 4, 1),
        address="Rīga",
        status="active",
        financial_year_end="12-31",
        size_class="small",
        employees=8,
        officers=(),
    )
    return structs.replace(base, **overrides)


def tax_status(**overrides: Any) -> CompanyTaxStatus:
    base = CompanyTaxStatus(
        registration_number="40003123459",
        vat_payer=True,
        vat_number="LV40003123459",
        vat_period="quarterly",
        employer=True,
        tax_account_balance=Decimal("0.00"),
        as_of=date(2026, 11, 27),
    )
    return structs.replace(base, **overrides)


def company_ctx(
    today: date, company: Fact[Any] | None = None, status: Fact[Any] | None = None
) -> CompanyContext:
    facts = CompanyFacts(
        registration_number="40003123459",
        company=company or ok(company_record()),
        tax_status=status or ok(tax_status()),
    )
    return CompanyContext(COMPANY, facts, today)
