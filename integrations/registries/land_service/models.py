"""State Land Service records (see integrations.registries.record)."""

from __future__ import annotations

from typing import Literal

from integrations.registries.record import Record, Text

PropertyKind = Literal["apartment", "house", "land", "non_residential"]


class PropertyManager(Record, frozen=True):
    name: Text
    phone: Text
    email: Text


class Property(Record, frozen=True):
    cadastral_number: Text
    address: Text
    kind: PropertyKind
    share: Text
    """The person's ownership share as a fraction, e.g. `1/1`, `1/2`."""
    manager: PropertyManager | None
    """Who manages the building; None for property the owners manage themselves."""
