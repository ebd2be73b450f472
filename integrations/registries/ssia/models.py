"""State Social Insurance Agency answers, parsed strictly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from integrations.registries._parse import Reader


@dataclass(frozen=True)
class PensionAccount:
    """The 2nd pension pillar account."""

    balance: Decimal
    currency: str
    fund_manager: str
    investment_plan: str
    contributions_this_year: Decimal
    valuation_date: date
    last_fund_change_date: date | None
    """None: the fund manager was never changed (it may be changed once per calendar year)."""

    @classmethod
    def read(cls, r: Reader) -> PensionAccount:
        return cls(
            balance=r.money("balance"),
            currency=r.text("currency"),
            fund_manager=r.text("fund_manager"),
            investment_plan=r.text("investment_plan"),
            contributions_this_year=r.money("contributions_this_year"),
            valuation_date=r.day("valuation_date"),
            last_fund_change_date=r.opt_day("last_fund_change_date"),
        )
