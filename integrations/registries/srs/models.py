"""State Revenue Service records (see integrations.registries.record). Money is `Decimal`,
sent as a string, never a float."""

from __future__ import annotations

from datetime import date
from typing import Literal

from integrations.registries.record import Money, Record, Text

DeclarationStatus = Literal["not_filed", "filed", "accepted"]
VatPeriod = Literal["monthly", "quarterly"]


class TaxAccount(Record, frozen=True):
    balance: Money
    """Negative: the person owes that much; positive: overpaid."""
    currency: Text
    as_of: date


class IncomeDeclaration(Record, frozen=True):
    year: int
    status: DeclarationStatus
    amount_payable: Money | None
    amount_refundable: Money | None


class CompanyTaxStatus(Record, frozen=True):
    registration_number: Text
    vat_payer: bool
    vat_number: Text | None
    vat_period: VatPeriod | None
    employer: bool
    tax_account_balance: Money
    as_of: date
