"""Municipalities' real-estate tax records (see integrations.registries.record). Money is
`Decimal`, sent as a string, never a float."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta

from integrations.registries.record import Money, Record, Text


class Instalment(Record, frozen=True):
    due_date: date
    """The statutory date (31 March, 15 May, 15 August, 15 November), not moved."""
    amount: Money
    paid: bool
    late_interest: Annotated[
        Money | None,
        Meta(description="Late interest the municipality has charged so far (null: not late)."),
    ]
    """Late interest the municipality has charged as of the notice's `as_of` (None: not late)."""


class RealEstateTaxNotice(Record, frozen=True):
    """One municipality's real-estate tax payment notice for a year (one per municipality the
    person owns property in)."""

    municipality: Text
    notice_number: Text
    issued_on: date
    year: int
    total: Money
    instalments: tuple[Instalment, ...]
    as_of: date
