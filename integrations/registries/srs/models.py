"""State Revenue Service answers, parsed strictly. Money is `Decimal`, never float."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from integrations.registries._parse import Reader

DeclarationStatus = Literal["not_filed", "filed", "accepted"]
DECLARATION_STATUSES: tuple[DeclarationStatus, ...] = ("not_filed", "filed", "accepted")
VatPeriod = Literal["monthly", "quarterly"]
VAT_PERIODS: tuple[VatPeriod, ...] = ("monthly", "quarterly")


@dataclass(frozen=True)
class TaxAccount:
    balance: Decimal
    """Negative: the person owes that much; positive: overpaid."""
    currency: str
    as_of: date

    @classmethod
    def read(cls, r: Reader) -> TaxAccount:
        return cls(balance=r.money("balance"), currency=r.text("currency"), as_of=r.day("as_of"))


@dataclass(frozen=True)
class IncomeDeclaration:
    year: int
    status: DeclarationStatus
    amount_payable: Decimal | None
    amount_refundable: Decimal | None

    @classmethod
    def read(cls, r: Reader) -> IncomeDeclaration:
        return cls(
            year=r.integer("year"),
            status=r.choice("status", DECLARATION_STATUSES),
            amount_payable=r.opt_money("amount_payable"),
            amount_refundable=r.opt_money("amount_refundable"),
        )


@dataclass(frozen=True)
class CompanyTaxStatus:
    registration_number: str
    vat_payer: bool
    vat_number: str | None
    vat_period: VatPeriod | None
    employer: bool
    tax_account_balance: Decimal
    as_of: date

    @classmethod
    def read(cls, r: Reader) -> CompanyTaxStatus:
        return cls(
            registration_number=r.text("registration_number"),
            vat_payer=r.flag("vat_payer"),
            vat_number=r.opt_text("vat_number"),
            vat_period=r.opt_choice("vat_period", VAT_PERIODS),
            employer=r.flag("employer"),
            tax_account_balance=r.money("tax_account_balance"),
            as_of=r.day("as_of"),
        )
