"""State Social Insurance Agency records (see integrations.registries.record)."""

from __future__ import annotations

from datetime import date

from integrations.registries.record import Money, Record, Text


class PensionAccount(Record, frozen=True):
    """The 2nd pension pillar account."""

    balance: Money
    currency: Text
    fund_manager: Text
    investment_plan: Text
    contributions_this_year: Money
    valuation_date: date
    last_fund_change_date: date | None
    """None: the fund manager was never changed (it may be changed once per calendar year)."""
