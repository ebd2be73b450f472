"""Municipalities' answers, parsed strictly. Money is `Decimal`, never float."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from integrations.registries._parse import Reader


@dataclass(frozen=True)
class Instalment:
    due_date: date
    """The statutory date (31 March, 15 May, 15 August, 15 November), not moved."""
    amount: Decimal
    paid: bool
    late_interest: Decimal | None
    """Late interest the municipality has charged as of the notice's `as_of` (None: not late)."""

    @classmethod
    def read(cls, r: Reader) -> Instalment:
        return cls(
            due_date=r.day("due_date"),
            amount=r.money("amount"),
            paid=r.flag("paid"),
            late_interest=r.opt_money("late_interest"),
        )


@dataclass(frozen=True)
class RealEstateTaxNotice:
    """One municipality's real-estate tax payment notice for a year (one per municipality the
    person owns property in)."""

    municipality: str
    notice_number: str
    issued_on: date
    year: int
    total: Decimal
    instalments: tuple[Instalment, ...]
    as_of: date

    @classmethod
    def read(cls, r: Reader) -> RealEstateTaxNotice:
        return cls(
            municipality=r.text("municipality"),
            notice_number=r.text("notice_number"),
            issued_on=r.day("issued_on"),
            year=r.integer("year"),
            total=r.money("total"),
            instalments=r.records("instalments", Instalment.read),
            as_of=r.day("as_of"),
        )
